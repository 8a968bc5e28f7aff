/**
 * Side-by-side benchmark: this module against npm:opendal (OpenDAL's Node.js
 * binding, run through Deno's Node-API support), on the memory and fs
 * services, with Deno's own file APIs as a reference for fs.
 *
 *     deno run --allow-ffi --allow-read --allow-write --allow-env \
 *       --allow-run --allow-sys bench/compare.ts [--smoke]
 *
 * Each row is the median, over several rounds, of the time per operation.
 * Within a round every implementation runs once, in an order that rotates
 * from round to round, so slow phases of the machine hit them all alike.
 * `--smoke` uses tiny counts to prove the script works, and leaves
 * `bench/RESULTS.md` alone.
 *
 * @module
 */

import { createRequire } from "node:module";
import { cpus } from "node:os";
import type { Operator } from "@opendal/core";
import { FsOperator } from "@opendal/core/services/fs";
import { MemoryOperator } from "@opendal/core/services/memory";

const smoke = Deno.args.includes("--smoke");
/** Rounds per row; the row shows their median. */
const ROUNDS = smoke ? 2 : 15;
/** How long one implementation's run within a round should take. */
const SAMPLE_MS = smoke ? 2 : 60;
/** Warm-up per implementation and row, which also sizes the samples. */
const WARM_MS = smoke ? 1 : 40;

const KiB = 1024;
const MiB = 1024 * KiB;

// ---------------------------------------------------------------------------
// The implementations, behind one shape.

/** What every column implements. Results are checked outside the timing. */
interface Impl {
  writeSync(path: string, data: Uint8Array): unknown;
  readSync(path: string): Uint8Array;
  statSync(path: string): unknown;
  write(path: string, data: Uint8Array): Promise<unknown>;
  read(path: string): Promise<Uint8Array>;
  stat(path: string): Promise<unknown>;
  /** The content length of `path`, for the checks. */
  size(path: string): number;
  close(): void;
}

/** The part of npm:opendal's `Operator` used here (see its index.d.ts). */
interface NpmOperator {
  writeSync(path: string, data: Uint8Array): unknown;
  readSync(path: string): Uint8Array;
  statSync(path: string): { contentLength: bigint | null };
  write(path: string, data: Uint8Array): Promise<unknown>;
  read(path: string): Promise<Uint8Array>;
  stat(path: string): Promise<unknown>;
}

type NpmOpendal = {
  Operator: new (
    scheme: string,
    options: Record<string, string>,
  ) => NpmOperator;
};

const npmDir = new URL("./npm/", import.meta.url);

/**
 * Loads npm:opendal from bench/npm, installing it first if needed. Deno's
 * own `npm:` resolution fails on this release, so it goes through
 * `require` like in Node.
 */
async function loadNpmOpendal(): Promise<NpmOpendal> {
  const installed = new URL("node_modules/opendal/package.json", npmDir);
  if (!await exists(installed)) {
    const script = new URL(
      "../scripts/install_npm_opendal.sh",
      import.meta.url,
    );
    const { success } = await new Deno.Command(script.pathname, {
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (!success) throw new Error("installing npm:opendal failed");
  }
  return createRequire(npmDir)("opendal") as NpmOpendal;
}

async function exists(url: URL): Promise<boolean> {
  try {
    await Deno.stat(url);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

function thisModule(op: Operator): Impl {
  return {
    writeSync: (p, d) => op.writeSync(p, d),
    readSync: (p) => op.readSync(p),
    statSync: (p) => op.statSync(p),
    write: (p, d) => op.write(p, d),
    read: (p) => op.read(p),
    stat: (p) => op.stat(p),
    size: (p) => op.statSync(p).contentLength,
    close: () => op.close(),
  };
}

function npmOpendal(op: NpmOperator): Impl {
  return {
    writeSync: (p, d) => op.writeSync(p, d),
    readSync: (p) => op.readSync(p),
    statSync: (p) => op.statSync(p),
    write: (p, d) => op.write(p, d),
    read: (p) => op.read(p),
    stat: (p) => op.stat(p),
    size: (p) => Number(op.statSync(p).contentLength),
    close: () => {},
  };
}

function denoBuiltin(root: string): Impl {
  const at = (p: string): string => `${root}/${p}`;
  return {
    writeSync: (p, d) => Deno.writeFileSync(at(p), d),
    readSync: (p) => Deno.readFileSync(at(p)),
    statSync: (p) => Deno.statSync(at(p)),
    write: (p, d) => Deno.writeFile(at(p), d),
    read: (p) => Deno.readFile(at(p)),
    stat: (p) => Deno.stat(at(p)),
    size: (p) => Deno.statSync(at(p)).size,
    close: () => {},
  };
}

// ---------------------------------------------------------------------------
// The workloads.

/** Runs `count` operations on `path`; throws on a wrong result. */
type Run = (
  impl: Impl,
  path: string,
  data: Uint8Array,
  count: number,
) => void | Promise<void>;

interface Workload {
  name: string;
  /** Bytes of the file read, stated or written. */
  size: number;
  run: Run;
  /** Operations per batch: `count` is always a multiple of it. */
  unit: number;
}

function expectLength(bytes: Uint8Array, length: number): void {
  if (bytes.length !== length) {
    throw new Error(`read ${bytes.length} bytes, expected ${length}`);
  }
}

const readSync: Run = (impl, path, data, count) => {
  for (let i = 0; i < count; i++) {
    expectLength(impl.readSync(path), data.length);
  }
};

const statSync: Run = (impl, path, _data, count) => {
  for (let i = 0; i < count; i++) impl.statSync(path);
};

const writeSync: Run = (impl, path, data, count) => {
  for (let i = 0; i < count; i++) impl.writeSync(path, data);
};

const read: Run = async (impl, path, data, count) => {
  for (let i = 0; i < count; i++) {
    expectLength(await impl.read(path), data.length);
  }
};

const stat: Run = async (impl, path, _data, count) => {
  for (let i = 0; i < count; i++) await impl.stat(path);
};

const write: Run = async (impl, path, data, count) => {
  for (let i = 0; i < count; i++) await impl.write(path, data);
};

/** `width` reads in flight at a time, each batch awaited as a whole. */
function readInFlight(width: number): Run {
  return async (impl, path, data, count) => {
    for (let done = 0; done < count; done += width) {
      const batch = Array.from({ length: width }, () => impl.read(path));
      for (const bytes of await Promise.all(batch)) {
        expectLength(bytes, data.length);
      }
    }
  };
}

/** `width` stats in flight at a time, each batch awaited as a whole. */
function statInFlight(width: number): Run {
  return async (impl, path, _data, count) => {
    for (let done = 0; done < count; done += width) {
      await Promise.all(Array.from({ length: width }, () => impl.stat(path)));
    }
  };
}

function sizeName(size: number): string {
  return size >= MiB
    ? `${size / MiB} MiB`
    : size >= KiB
    ? `${size / KiB} KiB`
    : `${size} B`;
}

function workloads(): Workload[] {
  const list: Workload[] = [];
  const add = (name: string, size: number, run: Run, unit = 1): void => {
    list.push({ name: `${name} ${sizeName(size)}`, size, run, unit });
  };
  for (const size of [16, 4 * KiB]) {
    add("statSync", size, statSync);
    add("readSync", size, readSync);
    add("writeSync", size, writeSync);
  }
  add("await stat", 4 * KiB, stat);
  add("await read", 4 * KiB, read);
  add("await write", 4 * KiB, write);
  for (const width of [64, 256]) {
    add(`stat ×${width} in flight,`, 4 * KiB, statInFlight(width), width);
    add(`read ×${width} in flight,`, 4 * KiB, readInFlight(width), width);
  }
  add("readSync", MiB, readSync);
  add("writeSync", MiB, writeSync);
  add("await read", MiB, read);
  add("await write", MiB, write);
  return list;
}

// ---------------------------------------------------------------------------
// Measuring.

/** Milliseconds `count` operations take. */
async function time(
  w: Workload,
  impl: Impl,
  path: string,
  data: Uint8Array,
  count: number,
): Promise<number> {
  const start = performance.now();
  await w.run(impl, path, data, count);
  const elapsed = performance.now() - start;
  // A write that went nowhere would be fast: check what is there now.
  const size = impl.size(path);
  if (size !== data.length) {
    throw new Error(
      `${w.name}: ${path} holds ${size} bytes, not ${data.length}`,
    );
  }
  return elapsed;
}

/** Warms `impl` up and returns how many operations fill one sample. */
async function sampleCount(
  w: Workload,
  impl: Impl,
  path: string,
  data: Uint8Array,
): Promise<number> {
  let count = w.unit;
  let elapsed = await time(w, impl, path, data, count);
  while (elapsed < WARM_MS) {
    count *= 2;
    elapsed = await time(w, impl, path, data, count);
  }
  const fill = Math.ceil((SAMPLE_MS * count) / elapsed / w.unit) * w.unit;
  return Math.max(w.unit, fill);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A recognisable pattern, so a mix-up of files shows in the setup check. */
function pattern(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + size) & 0xff;
  return bytes;
}

/** Writes the file a workload uses and checks it reads back intact. */
function prepare(impl: Impl, path: string, data: Uint8Array): void {
  impl.writeSync(path, data);
  const back = impl.readSync(path);
  if (back.length !== data.length || back.some((b, i) => b !== data[i])) {
    throw new Error(`${path} did not read back as written`);
  }
}

/** µs per operation of `w`, one list of rounds per implementation. */
async function measure(w: Workload, impls: Impl[]): Promise<number[][]> {
  const path = `bench/${w.name.replace(/\W+/g, "-")}`;
  const data = pattern(w.size);
  const counts: number[] = [];
  for (const impl of impls) {
    prepare(impl, path, data);
    counts.push(await sampleCount(w, impl, path, data));
  }
  const perOp: number[][] = impls.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < impls.length; k++) {
      const i = (round + k) % impls.length;
      const ms = await time(w, impls[i], path, data, counts[i]);
      perOp[i].push((ms * 1000) / counts[i]);
    }
  }
  return perOp;
}

// ---------------------------------------------------------------------------
// Reporting.

function us(value: number): string {
  return value < 10
    ? value.toFixed(2)
    : value < 100
    ? value.toFixed(1)
    : value.toFixed(0);
}

/** Markdown table lines, padded like `deno fmt` pads them. */
function markdownTable(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) =>
    Math.max(3, ...rows.map((row) => row[c].length))
  );
  // The first column is text (left-aligned); the others are numbers.
  const cell = (text: string, c: number): string =>
    c === 0 ? text.padEnd(widths[c]) : text.padStart(widths[c]);
  const line = (row: string[]): string => `| ${row.map(cell).join(" | ")} |`;
  const rule = widths.map((w, c) =>
    c === 0 ? "-".repeat(w) : `${"-".repeat(w - 1)}:`
  );
  return [line(rows[0]), `| ${rule.join(" | ")} |`, ...rows.slice(1).map(line)];
}

/** The section of one service; `reference` adds Deno's column. */
async function section(
  service: string,
  impls: Impl[],
  reference: boolean,
): Promise<string> {
  const head = ["workload", "this module (µs/op)", "npm:opendal (µs/op)"];
  head.push("ratio npm/this");
  if (reference) head.push("Deno built-in (µs/op)");
  const rows = [head];
  for (const w of workloads()) {
    const rounds = await measure(w, impls);
    const [mine, npm, deno] = rounds.map(median);
    const cells = [w.name, us(mine), us(npm), `${(npm / mine).toFixed(2)}×`];
    if (reference) cells.push(us(deno));
    rows.push(cells);
    // The spread goes to stderr: it tells a steady row from a noisy one.
    const spread = rounds.map((r) =>
      `${us(Math.min(...r))}–${us(Math.max(...r))}`
    );
    console.error(`${service}: ${w.name}: µs/op ranges ${spread.join(", ")}`);
  }
  return [`## ${service}`, "", ...markdownTable(rows)].join("\n");
}

/** Whether `--allow-sys` covers `kind`, asked so no prompt stops the run. */
function sysAllowed(kind: "cpus" | "loadavg"): boolean {
  return Deno.permissions.querySync({ name: "sys", kind }).state === "granted";
}

/** The CPU model; Deno reads /proc/cpuinfo only under --allow-all. */
function cpuModel(): string {
  return (sysAllowed("cpus") && cpus()[0]?.model) || "unknown CPU";
}

/** The 1-minute load average: other work on the machine skews the run. */
function load(): string {
  return sysAllowed("loadavg") ? Deno.loadavg()[0].toFixed(2) : "?";
}

/** The report's header, one short line each so `deno fmt` keeps them. */
function header(loadBefore: string): string[] {
  const { os, arch } = Deno.build;
  const cores = navigator.hardwareConcurrency;
  return [
    "# @opendal/core against npm:opendal 0.49.2",
    "",
    `- Machine: ${cpuModel()}, ${cores} cores, ${os}/${arch}`,
    `- Deno ${Deno.version.deno}, ${new Date().toISOString().slice(0, 10)}`,
    `- Load average (1 min): ${loadBefore} before the run, ${load()} after`,
    `- Median of ${ROUNDS} rounds of ~${SAMPLE_MS} ms each, implementations interleaved`,
  ];
}

/** Writes bench/RESULTS.md, formatted so `deno fmt --check` passes. */
async function save(report: string): Promise<void> {
  const file = new URL("./RESULTS.md", import.meta.url).pathname;
  await Deno.writeTextFile(file, report);
  const fmt = new Deno.Command(Deno.execPath(), { args: ["fmt", "-q", file] });
  if (!(await fmt.output()).success) console.error(`could not format ${file}`);
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const npm = await loadNpmOpendal();
  const dirs: string[] = [];
  const tempDir = async (): Promise<string> => {
    const dir = await Deno.makeTempDir({ prefix: "opendal-bench-" });
    dirs.push(dir);
    return dir;
  };
  const impls: Impl[] = [];
  try {
    const memory = [
      thisModule(new MemoryOperator()),
      npmOpendal(new npm.Operator("memory", {})),
    ];
    // The operators create parent directories; Deno's file APIs do not.
    const denoRoot = await tempDir();
    await Deno.mkdir(`${denoRoot}/bench`);
    const fs = [
      thisModule(new FsOperator({ root: await tempDir() })),
      npmOpendal(new npm.Operator("fs", { root: await tempDir() })),
      denoBuiltin(denoRoot),
    ];
    impls.push(...memory, ...fs);

    const loadBefore = load();
    const sections = [
      await section("memory", memory, false),
      await section("fs", fs, true),
    ];
    const report = [...header(loadBefore), "", sections.join("\n\n"), ""]
      .join("\n");
    console.log(report);
    if (smoke) {
      console.error("smoke run: bench/RESULTS.md left unchanged");
    } else {
      await save(report);
    }
  } finally {
    for (const impl of impls) impl.close();
    for (const dir of dirs) await Deno.remove(dir, { recursive: true });
  }
}

await main();
