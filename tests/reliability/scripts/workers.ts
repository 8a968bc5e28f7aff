/**
 * Workers that go away with native objects and work in flight, run in its
 * own process: `deno run ... workers.ts <dir>` prints one JSON line.
 *
 * Each round starts 25 Workers (`busy_worker.ts`); busy ones are terminated
 * while their reads run and their upload is open, tidy ones close what they
 * made and end themselves. After each round the native handle count must
 * come back to the baseline (this module's queue and operator) with no help
 * from the Workers: Deno runs no unload handler or finalizer for a
 * terminated Worker. RSS is measured after a warm-up round, as leak.ts does.
 */

import { diagnostics } from "../../../mod.ts";
import { FsOperator } from "../../../services/fs.ts";

const WORKERS = 25;
const FILES = 4;
const FILE_BYTES = 4 << 20;
const MiB = 1024 * 1024;
const rss = () => Deno.memoryUsage().rss / MiB;

const dir = Deno.args[0];
const fs = new FsOperator({ root: dir });
for (let i = 0; i < FILES; i++) {
  await fs.write(`big-${i}`, new Uint8Array(FILE_BYTES).fill(i));
}
const baseline = diagnostics().handles;

/** Waits until the handle count is back at the baseline (or 30 s pass). */
async function settled(): Promise<{ handles: number; ms: number }> {
  const started = performance.now();
  while (performance.now() - started < 30_000) {
    if (diagnostics().handles === baseline) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    handles: diagnostics().handles,
    ms: Math.round(performance.now() - started),
  };
}

async function round(mode: "busy" | "tidy") {
  const workers = Array.from({ length: WORKERS }, (_, id) => {
    const worker = new Worker(new URL("busy_worker.ts", import.meta.url), {
      type: "module",
    });
    const reported = new Promise<void>((resolve, reject) => {
      worker.onmessage = () => resolve();
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(`worker ${id}: ${e.message}`));
      };
    });
    worker.postMessage({ dir, id, mode, files: FILES });
    return { worker, reported };
  });
  await Promise.all(workers.map((w) => w.reported));
  const peak = diagnostics().handles;
  if (mode === "busy") { for (const { worker } of workers) worker.terminate(); }
  return { peak, ...await settled() };
}

const warmup = await round("busy");
const baseRss = rss();
const busy = [];
for (let i = 0; i < 3; i++) busy.push(await round("busy"));
const tidy = await round("tidy");
const endRss = rss();
const committed = (await Array.fromAsync(fs.list("")))
  .filter((e) => e.path.startsWith("uncommitted-")).length;
console.log(JSON.stringify({
  baseline,
  warmup,
  busy,
  tidy,
  committed,
  baseRssMiB: Math.round(baseRss),
  endRssMiB: Math.round(endRss),
  growthMiB: Math.round(endRss - baseRss),
}));
