/**
 * Writers dropped without `close()` after writing, then collected:
 * `deno run --v8-flags=--expose-gc --allow-ffi=<lib> dropped_writer.ts <dir>`.
 * Prints one JSON line: whether each target exists afterwards, and what is
 * left in fs's directories (staged files beside the target, or in
 * `atomicWriteDir`) once the writers were aborted.
 */

import { diagnostics } from "../../../mod.ts";
import type { Operator } from "../../../mod.ts";
import { FsOperator } from "../../../services/fs.ts";
import { MemoryOperator } from "../../../services/memory.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --v8-flags=--expose-gc");
const [dir] = Deno.args;

const operators: Record<string, Operator> = {
  memory: new MemoryOperator(),
  fs: new FsOperator({ root: `${dir}/plain` }),
  fsAtomic: new FsOperator({
    root: `${dir}/atomic`,
    atomicWriteDir: `${dir}/staging`,
  }),
};
const baseline = diagnostics().handles;

async function writeAndDrop(op: Operator): Promise<void> {
  const writer = await op.writer("dropped.txt");
  await writer.write("data that was never committed");
}
for (const op of Object.values(operators)) await writeAndDrop(op);

for (let i = 0; i < 50 && diagnostics().handles > baseline; i++) {
  gc();
  await new Promise((r) => setTimeout(r, 5));
}
const collected = diagnostics().handles === baseline;
const exists: Record<string, boolean> = {};
for (const [name, op] of Object.entries(operators)) {
  exists[name] = await op.exists("dropped.txt");
}
// A released writer is aborted in the background: the staged file goes.
const leftovers = new FsOperator({ root: dir });
const staged = () =>
  Array.from(leftovers.listSync("", { recursive: true })).filter((e) =>
    e.metadata.isFile
  );
for (let i = 0; i < 100 && staged().length > 0; i++) {
  await new Promise((r) => setTimeout(r, 20));
}
console.log(
  JSON.stringify({
    collected,
    exists,
    staged: staged().map((e) => e.path),
  }),
);
