/**
 * Leaves fs writers open, each having written, then exits:
 * `deno run --allow-ffi=<lib> exit_writer.ts <dir> exit|end`. With `exit`
 * it calls `Deno.exit(0)` while one write is still in flight; with `end`
 * the script simply ends. Either way the writers are aborted on the way
 * out: nothing is left below `<dir>` but what was committed.
 */

import { FsOperator } from "../../../services/fs.ts";

const [dir, how] = Deno.args;
const plain = new FsOperator({ root: `${dir}/plain` });
const atomic = new FsOperator({
  root: `${dir}/atomic`,
  atomicWriteDir: `${dir}/staging`,
});
await plain.write("committed.txt", "kept");
const writers = [
  await plain.writer("open.txt"),
  await atomic.writer("open.txt"),
  plain.writerSync("nested/open.txt"),
];
for (const w of writers) await w.write("never committed");
// One more write, not awaited: still in flight at the exit.
writers[0].write("more");
if (how === "exit") Deno.exit(0);
