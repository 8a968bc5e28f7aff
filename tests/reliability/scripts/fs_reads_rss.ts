/**
 * Resident memory of many concurrent small fs reads:
 * `deno run fs_reads_rss.ts <dir> [files]`. Writes `files` (default 2000)
 * files of 64 KiB, reads them all at once for three rounds, and prints one
 * JSON line: RSS in MiB before, at the peak, and after (collected), and the
 * data's size.
 */

import { FsOperator } from "../../../services/fs.ts";

const [dir, files = "2000"] = Deno.args;
const N = Number(files);
const SIZE = 64 * 1024;
using op = new FsOperator({ root: dir });
const data = new Uint8Array(SIZE).fill(7);
for (let i = 0; i < N; i++) op.writeSync(`f${i}`, data);

const mib = () => Math.round(Deno.memoryUsage().rss / 2 ** 20);
// Warm-up: the library, its runtime and thread pools are up before `before`.
await Promise.all(Array.from({ length: 64 }, (_, i) => op.read(`f${i}`)));
const before = mib();
let peak = before;
const sampler = setInterval(() => peak = Math.max(peak, mib()), 5);
for (let round = 0; round < 3; round++) {
  const reads = await Promise.all(
    Array.from({ length: N }, (_, i) => op.read(`f${i}`)),
  );
  if (reads.some((b) => b.length !== SIZE)) throw new Error("a short read");
  peak = Math.max(peak, mib());
}
clearInterval(sampler);
(globalThis as { gc?: () => void }).gc?.();
// The library returns free memory after a quiet second (glibc): wait two.
await new Promise((r) => setTimeout(r, 2500));
console.log(JSON.stringify({
  before,
  peak,
  after: mib(),
  dataMiB: (N * SIZE) / 2 ** 20,
}));
