/**
 * Leak probe, run in its own process with `--v8-flags=--expose-gc` and
 * `--allow-ffi=<lib>` only. `deno run ... leak.ts <phase>` prints one JSON
 * line: native handles and RSS at the baseline (after a warm-up round of the
 * same size) and at the end (after forcing collection until the
 * FinalizationRegistry has run).
 *
 * Phases: `operators` (create/close cycles), `reads` (sync and async reads),
 * `dropped` (readers, writers and listers dropped without `close()`).
 */

import { diagnostics } from "../../../mod.ts";
import { MemoryOperator } from "../../../services/memory.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --v8-flags=--expose-gc");

const MiB = 1024 * 1024;
const rss = () => Deno.memoryUsage().rss / MiB;

/** Collects until the handle count stops falling (finalizers run as tasks). */
async function collect(target: number): Promise<number> {
  let last = diagnostics().handles;
  for (let round = 0; round < 100; round++) {
    gc!();
    await new Promise((r) => setTimeout(r, 5));
    const now = diagnostics().handles;
    if (now <= target || (round > 10 && now === last)) return now;
    last = now;
  }
  return diagnostics().handles;
}

const phase = Deno.args[0];
const payload = new Uint8Array(4096).fill(7);

function operators(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const op = new MemoryOperator();
    op.close();
  }
  return Promise.resolve();
}

async function reads(op: MemoryOperator, n: number): Promise<void> {
  for (let i = 0; i < n; i += 2) {
    if (op.readSync("data.bin").byteLength !== payload.byteLength) {
      throw new Error("short sync read");
    }
    if ((await op.read("data.bin")).byteLength !== payload.byteLength) {
      throw new Error("short async read");
    }
  }
}

async function dropped(
  op: MemoryOperator,
  n: number,
  tag: string,
): Promise<void> {
  for (let i = 0; i < n; i++) {
    // Never closed: only the garbage collector releases these.
    const reader = await op.reader("data.bin");
    await reader.read(0, 16);
    const writer = await op.writer(`dropped/${tag}-${i}.bin`);
    await writer.write(payload);
    const it = op.list("listed/")[Symbol.asyncIterator]();
    await it.next();
    const syncIt = op.listSync("listed/")[Symbol.iterator]();
    syncIt.next();
  }
}

const op = new MemoryOperator();
op.writeSync("data.bin", payload);
for (let i = 0; i < 3; i++) op.writeSync(`listed/${i}.txt`, "x");

const work: Record<
  string,
  [(n: number, tag: string) => Promise<void>, number]
> = {
  operators: [(n) => operators(n), 100_000],
  reads: [(n) => reads(op, n), 100_000],
  dropped: [(n, tag) => dropped(op, n, tag), 10_000],
};
const [run, count] = work[phase] ?? [];
if (!run) throw new Error(`unknown phase ${phase}`);

// Warm-up: one full round brings the JIT, V8's heap, the allocator's free
// lists and the handle table to their high-water marks; freed memory is kept
// by the allocator, not returned. A second identical round then reuses it,
// so what it adds is what leaks.
await run(count, "warmup");
const baseHandles = 2; // the queue and `op`
const warmHandles = await collect(baseHandles);
const baseRss = rss();
const started = performance.now();
await run(count, "main");
const elapsedMs = performance.now() - started;
const peakHandles = diagnostics().handles;
const endHandles = await collect(baseHandles);
const endRss = rss();
const droppedWriters = phase === "dropped"
  ? (await Array.fromAsync(op.list("dropped/"))).length
  : 0;
console.log(JSON.stringify({
  phase,
  count,
  elapsedMs: Math.round(elapsedMs),
  warmHandles,
  peakHandles,
  endHandles,
  pending: diagnostics().pending,
  baseRssMiB: Math.round(baseRss * 10) / 10,
  endRssMiB: Math.round(endRss * 10) / 10,
  growthMiB: Math.round((endRss - baseRss) * 10) / 10,
  droppedWriters,
}));
