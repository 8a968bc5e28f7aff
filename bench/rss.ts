/**
 * Peak memory with many reads in flight, measured in a fresh process per
 * implementation so nothing else the benchmark did counts.
 *
 * Run as a script, it is that process for this module or npm:opendal:
 *
 *     deno run --allow-ffi --allow-read --allow-write --allow-env --allow-run \
 *       bench/rss.ts this|npm '{"scheme":"memory","options":{}}' PATH SIZE WIDTH BATCHES
 *
 * It writes SIZE bytes at PATH, then reads them BATCHES times with WIDTH
 * reads in flight (and with `--v8-flags=--expose-gc`, collects garbage
 * before each batch), and prints `{"rss_kib", "peak_rss_kib"}` like the raw
 * binary: VmRSS once the file is ready, VmHWM at the end.
 *
 * @module
 */

import {
  type Impl,
  loadNpmOpendal,
  openNpm,
  openThisModule,
  type ServiceSpec,
} from "./impls.ts";

/** The peak memory a process reported. */
export interface Rss {
  rss_kib: number;
  peak_rss_kib: number;
}

/**
 * This process's RSS now and at its peak (VmRSS and VmHWM, KiB). Deno lets
 * only `--allow-all` read /proc/self, so `cat` reads it for us.
 */
function rssKib(): Rss {
  const out = new Deno.Command("cat", { args: [`/proc/${Deno.pid}/status`] })
    .outputSync();
  const status = new TextDecoder().decode(out.stdout);
  const field = (name: string): number =>
    parseInt(status.match(new RegExp(`^${name}:\\s*(\\d+)`, "m"))?.[1] ?? "0");
  return { rss_kib: field("VmRSS"), peak_rss_kib: field("VmHWM") };
}

/** Runs one implementation's reads and reports its memory. */
async function measureHere(
  impl: Impl,
  path: string,
  size: number,
  width: number,
  batches: number,
): Promise<Rss> {
  const data = new Uint8Array(size).fill(7);
  impl.sync.write(path, data);
  const { rss_kib } = rssKib();
  // With --expose-gc, garbage from earlier batches is collected first:
  // what is left is what the reads in flight themselves hold.
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let b = 0; b < batches; b++) {
    gc?.();
    await readBatch(impl, path, size, width);
  }
  return { rss_kib, peak_rss_kib: rssKib().peak_rss_kib };
}

/**
 * One batch: `width` reads in flight, whose results stay referenced until
 * the whole batch is in. Its own function, so that nothing of a batch is
 * still reachable when the next one's `gc()` runs: a loop body's arrays
 * live on in the async function's frame until they are overwritten, which
 * kept two batches (twice the memory) alive at every peak.
 */
async function readBatch(
  impl: Impl,
  path: string,
  size: number,
  width: number,
): Promise<void> {
  const reads = Array.from({ length: width }, () => impl.readAsync(path));
  for (const bytes of await Promise.all(reads)) {
    const n = bytes.length;
    if (n !== size) throw new Error(`read ${n} bytes, expected ${size}`);
  }
}

/**
 * Starts this file as a subprocess for `which` and returns what it reports;
 * `collect` runs V8's GC before each batch.
 */
export async function measureRss(
  which: "this" | "npm",
  collect: boolean,
  spec: ServiceSpec,
  path: string,
  size: number,
  width: number,
  batches: number,
): Promise<Rss> {
  const args = [
    "run",
    "--allow-ffi",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "--allow-run",
    ...(collect ? ["--v8-flags=--expose-gc"] : []),
    new URL(import.meta.url).pathname,
    which,
    JSON.stringify(spec),
    path,
    `${size}`,
    `${width}`,
    `${batches}`,
  ];
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  if (!out.success) {
    throw new Error(`rss.ts ${which} failed:\n${text.decode(out.stderr)}`);
  }
  return JSON.parse(text.decode(out.stdout)) as Rss;
}

async function main(): Promise<void> {
  const [which, specJson, path, size, width, batches] = Deno.args;
  const spec = JSON.parse(specJson) as ServiceSpec;
  const impl = which === "npm"
    ? openNpm(await loadNpmOpendal(), spec)
    : openThisModule(spec);
  const rss = await measureHere(impl, path, +size, +width, +batches);
  impl.close();
  console.log(JSON.stringify(rss));
}

if (import.meta.main) await main();
