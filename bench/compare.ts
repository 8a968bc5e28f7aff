/**
 * Side-by-side benchmark: raw Rust OpenDAL (the floor), this module, npm:opendal
 * (OpenDAL's Node.js binding, run through Deno's Node-API support), and for
 * fs Deno's own file APIs, on the memory and fs services, and on S3 when
 * `OPENDAL_S3_*` name a server (`deno task bench` starts a local one through
 * bench/with_s3.sh).
 *
 *     deno run --allow-ffi --allow-read --allow-write --allow-env \
 *       --allow-run --allow-sys --allow-net=127.0.0.1 bench/compare.ts [--smoke]
 *
 * Each row is the median, over several rounds, of the time per operation.
 * Within a round every implementation runs once, in an order that rotates
 * from round to round, so slow phases of the machine hit them all alike.
 * Raw Rust is `rust/src/bin/opendal_bench.rs`, one subprocess per round
 * (see bench/raw.ts). Peak memory is measured in fresh processes (see
 * bench/rss.ts), and every target of issue 6 is checked (bench/targets.ts).
 * `--smoke` uses tiny counts and sizes to prove the script works, and
 * leaves `bench/RESULTS.md` alone. `--memory` runs only the memory service
 * (a before/after check of the module's own overhead) and leaves the file
 * alone too.
 *
 * @module
 */

import { cpus } from "node:os";
import {
  denoBuiltin,
  type Impl,
  loadNpmOpendal,
  type NpmOpendal,
  openNpm,
  openThisModule,
  type OpName,
  type ServiceSpec,
} from "./impls.ts";
import { Operator } from "@opendal/core";
import { configFromEnv } from "../src/env_config.ts";
import { findRawBinary, runRaw } from "./raw.ts";
import { replaceSection } from "./results_file.ts";
import { measureRss, type Rss } from "./rss.ts";
import {
  mark,
  type Row,
  rowTargets,
  RSS_BOUND,
  summary,
  type Workload as Measured,
} from "./targets.ts";

const smoke = Deno.args.includes("--smoke");
const memoryOnly = Deno.args.includes("--memory");
/** Rounds per row; the row shows their median. */
const ROUNDS = smoke ? 2 : 9;
/** How long one implementation's run within a round should take. */
const SAMPLE_MS = smoke ? 2 : 60;
/** Warm-up per implementation and row, which also sizes the samples. */
const WARM_MS = smoke ? 1 : 25;

const KiB = 1024;
const MiB = 1024 * KiB;
/** 64 MiB rows take seconds each, so the smoke run leaves them out. */
const SIZES = smoke ? [16, 4 * KiB, MiB] : [16, 4 * KiB, MiB, 64 * MiB];
const ENTRIES = smoke ? 500 : 10_000;
const IN_FLIGHT = [64, 256];
/** The peak-memory workload: WIDTH reads of 1 MiB in flight, BATCHES times. */
const RSS = {
  size: MiB,
  width: 64,
  batches: smoke ? 2 : 8,
  rounds: smoke ? 1 : 3,
};

// ---------------------------------------------------------------------------
// Services.

/** A service and who can reach it. */
interface Service {
  name: string;
  spec: ServiceSpec;
  /** Whether every implementation sees the same storage (not so for memory). */
  shared: boolean;
  /** Deno's own API as a reference column (fs only); its root. */
  denoRoot?: string;
  /** What it runs. */
  workloads: Workload[];
  /** Whether the peak-memory test runs on it. */
  rss: boolean;
}

/**
 * The services measured. Another one (S3 against a local server) needs only
 * an entry here: its `spec` reaches this module, npm:opendal and the raw
 * binary alike (`shared: true`, no `denoRoot`). Set its options from the
 * environment as the behavior tests do (`OPENDAL_S3_*`).
 */
function services(fsRoot: string): Service[] {
  const local: Service[] = [
    {
      name: "memory",
      spec: { scheme: "memory", options: {} },
      shared: false,
      workloads: workloads(),
      rss: true,
    },
    {
      name: "fs",
      spec: { scheme: "fs", options: { root: fsRoot } },
      shared: true,
      denoRoot: fsRoot,
      workloads: workloads(),
      rss: true,
    },
  ];
  if (memoryOnly) return local.slice(0, 1);
  const s3 = s3FromEnv();
  return s3 ? [...local, s3] : local;
}

/**
 * S3 when `OPENDAL_S3_*` describe a server, under a fresh root. Its rows are
 * the issue's: 1 MiB objects with 64 in flight, and 64 MiB objects one at a
 * time (64 of those in flight would put 4 GiB through the one-process
 * emulator per batch).
 */
function s3FromEnv(): Service | undefined {
  const options = configFromEnv("s3");
  if (!options.bucket) return undefined;
  options.root = `/opendal-bench-${Date.now()}/`;
  const [size, inFlight] = smoke ? [64 * KiB, 4] : [MiB, 64];
  const large = smoke ? 256 * KiB : 64 * MiB;
  return {
    name: "s3",
    spec: { scheme: "s3", options },
    shared: true,
    workloads: [
      workload("write", size, inFlight),
      workload("read", size, inFlight),
      workload("write", large, 1),
      workload("read", large, 1),
    ],
    rss: false,
  };
}

// ---------------------------------------------------------------------------
// Workloads.

interface Workload extends Measured {
  /** Entries of the directory a list row lists. */
  entries: number;
  /** Operations per batch: counts are always a multiple of it. */
  unit: number;
}

function sizeName(size: number): string {
  return size >= MiB
    ? `${size / MiB} MiB`
    : size >= KiB
    ? `${size / KiB} KiB`
    : `${size} B`;
}

function workload(op: OpName, size: number, inFlight: number): Workload {
  const what = op === "list"
    ? `${ENTRIES.toLocaleString("en").replace(",", " ")} entries`
    : sizeName(size);
  const name = inFlight === 0
    ? `${op}Sync ${what}`
    : inFlight === 1
    ? `await ${op} ${what}`
    : `${op} ×${inFlight} in flight, ${what}`;
  return { name, op, size, inFlight, entries: ENTRIES, unit: inFlight || 1 };
}

function workloads(): Workload[] {
  const ops: OpName[] = ["stat", "read", "readInto", "write"];
  const list: Workload[] = [];
  for (const inFlight of [0, 1]) {
    for (const size of SIZES) {
      for (const op of ops) list.push(workload(op, size, inFlight));
    }
  }
  for (const inFlight of IN_FLIGHT) {
    for (const op of ops) list.push(workload(op, 4 * KiB, inFlight));
  }
  list.push(workload("list", 0, 0), workload("list", 0, 1));
  return list;
}

/** Where an implementation works: its own files, one shared listing. */
function pathOf(prefix: string, w: Workload): string {
  return w.op === "list" ? "list/" : `${prefix}${w.size}`;
}

/** Writes in flight go to distinct files (as in the raw binary). */
function slotPath(path: string, slot: number): string {
  return slot === 0 ? path : `${path}-${slot}`;
}

/** Throws unless `n`, what an operation returned, is right for `w`. */
function check(w: Workload, n: number): void {
  const ok = w.op === "read" || w.op === "readInto"
    ? n === w.size
    : w.op === "list"
    ? n === w.entries || n === w.entries + 1 // OpenDAL may list the dir
    : true;
  if (!ok) throw new Error(`${w.name}: got ${n}`);
}

/** Runs `count` operations of `w` with `impl`. */
async function run(
  impl: Impl,
  w: Workload,
  path: string,
  data: Uint8Array,
  count: number,
): Promise<void> {
  if (w.inFlight === 0) {
    const op = impl.sync[w.op];
    for (let i = 0; i < count; i++) check(w, op(path, data));
    return;
  }
  const op = impl.async[w.op];
  if (w.inFlight === 1) {
    for (let i = 0; i < count; i++) check(w, await op(path, data));
    return;
  }
  const slots = Array.from(
    { length: w.inFlight },
    (_, s) => w.op === "write" ? slotPath(path, s) : path,
  );
  for (let done = 0; done < count; done += w.inFlight) {
    const results = await Promise.all(slots.map((p) => op(p, data)));
    for (const n of results) check(w, n);
  }
}

// ---------------------------------------------------------------------------
// Columns: an in-process implementation, or the raw binary.

interface Column {
  label: string;
  /** Sizes its samples (and warms it up). */
  calibrate(w: Workload): Promise<void>;
  /** µs per operation of one sample. */
  sample(w: Workload): Promise<number>;
}

/** A recognisable pattern, so a mix-up of files shows in the setup check. */
function pattern(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + size) & 0xff;
  return bytes;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

class InProcess implements Column {
  #count = 0;
  #prepared = new Set<string>();
  #data = new Map<number, Uint8Array>();

  constructor(
    readonly label: string,
    readonly impl: Impl,
    readonly prefix: string,
  ) {}

  #bytes(size: number): Uint8Array {
    let data = this.#data.get(size);
    if (!data) this.#data.set(size, data = pattern(size));
    return data;
  }

  /** Writes the file `w` uses once, and checks it reads back intact. */
  #prepare(w: Workload): void {
    const path = pathOf(this.prefix, w);
    if (w.op === "list" || this.#prepared.has(path)) return;
    const data = this.#bytes(w.size);
    this.impl.sync.write(path, data);
    if (!sameBytes(this.impl.readBack(path), data)) {
      throw new Error(`${path} did not read back as written`);
    }
    this.#prepared.add(path);
  }

  /** Milliseconds `count` operations take, checked. */
  async #time(w: Workload, count: number): Promise<number> {
    const path = pathOf(this.prefix, w);
    const data = this.#bytes(w.size);
    const start = performance.now();
    await run(this.impl, w, path, data, count);
    const elapsed = performance.now() - start;
    // A write that went nowhere would be fast: check what is there now.
    if (w.op === "write" && this.impl.size(path) !== w.size) {
      throw new Error(`${w.name}: ${path} holds ${this.impl.size(path)} bytes`);
    }
    return elapsed;
  }

  async calibrate(w: Workload): Promise<void> {
    this.#prepare(w);
    let count = w.unit;
    let elapsed = await this.#time(w, count);
    while (elapsed < WARM_MS) {
      count *= 2;
      elapsed = await this.#time(w, count);
    }
    const fill = Math.ceil((SAMPLE_MS * count) / elapsed / w.unit) * w.unit;
    this.#count = Math.max(w.unit, fill);
  }

  async sample(w: Workload): Promise<number> {
    return (await this.#time(w, this.#count)) * 1000 / this.#count;
  }
}

/** The raw binary: each sample is a fresh process that warms itself up. */
class Raw implements Column {
  readonly label = "raw Rust";
  constructor(readonly binary: string, readonly spec: ServiceSpec) {}

  calibrate(): Promise<void> {
    return Promise.resolve();
  }

  async sample(w: Workload): Promise<number> {
    const result = await runRaw(this.binary, this.spec, {
      ...w,
      path: pathOf("raw/", w),
      durationMs: SAMPLE_MS,
    });
    return result.us_per_op;
  }
}

/** Makes sure each storage has the directory the list rows read. */
function prepareListing(service: Service, impls: Impl[]): void {
  const empty = new Uint8Array(0);
  for (const impl of service.shared ? impls.slice(0, 1) : impls) {
    let listed = 0;
    try {
      listed = impl.sync.list("list/", empty);
    } catch { /* not there yet */ }
    if (listed >= ENTRIES) continue;
    for (let i = 0; i < ENTRIES; i++) {
      impl.sync.write(`list/f${String(i).padStart(5, "0")}`, empty);
    }
  }
}

/** µs per operation of `w`, one list of rounds per column. */
async function measure(w: Workload, columns: Column[]): Promise<number[][]> {
  for (const c of columns) await c.calibrate(w);
  const perOp: number[][] = columns.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < columns.length; k++) {
      const i = (round + k) % columns.length;
      perOp[i].push(await columns[i].sample(w));
    }
  }
  return perOp;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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

const times = (v: number): string => `${v.toFixed(2)}×`;

/**
 * Markdown table lines, padded like `deno fmt` pads them. Columns listed in
 * `text` are left-aligned; the others hold numbers.
 */
function markdownTable(rows: string[][], text: number[] = [0]): string[] {
  const widths = rows[0].map((_, c) =>
    Math.max(3, ...rows.map((row) => row[c].length))
  );
  const left = (c: number): boolean => text.includes(c);
  const cell = (text: string, c: number): string =>
    left(c) ? text.padEnd(widths[c]) : text.padStart(widths[c]);
  const line = (row: string[]): string => `| ${row.map(cell).join(" | ")} |`;
  const rule = widths.map((w, c) =>
    left(c) ? "-".repeat(w) : `${"-".repeat(w - 1)}:`
  );
  return [line(rows[0]), `| ${rule.join(" | ")} |`, ...rows.slice(1).map(line)];
}

/** The cells of one row of a service's table. */
function rowCells(row: Row): string[] {
  const cells = [row.workload.name, us(row.raw), us(row.mine), us(row.npm)];
  if (row.deno !== undefined) cells.push(us(row.deno));
  cells.push(times(row.mine / row.raw), times(row.npm / row.mine));
  cells.push(rowTargets(row));
  return cells;
}

function serviceTable(service: Service, rows: Row[]): string {
  const head = ["workload", "raw Rust", "this module", "npm:opendal"];
  if (service.denoRoot) head.push("Deno built-in");
  head.push("this / raw", "npm / this", "targets");
  const lines = markdownTable([head, ...rows.map(rowCells)], [
    0,
    head.length - 1,
  ]);
  return [`## ${service.name} (µs/op)`, "", ...lines].join("\n");
}

/** Measures every workload of `service`; progress goes to stderr. */
async function serviceRows(
  service: Service,
  columns: Column[],
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const w of service.workloads) {
    const rounds = await measure(w, columns);
    const [raw, mine, npm, deno] = rounds.map(median);
    rows.push({ service: service.name, workload: w, raw, mine, npm, deno });
    // The spread tells a steady row from a noisy one.
    const spread = rounds.map((r, i) =>
      `${columns[i].label} ${us(Math.min(...r))}–${us(Math.max(...r))}`
    );
    console.error(`${service.name}: ${w.name}: µs/op ${spread.join(", ")}`);
  }
  return rows;
}

// ---------------------------------------------------------------------------
// Peak memory.

/** Who the peak-memory test runs: raw Rust and fresh Deno processes. */
const RSS_RUNS = ["raw", "mine", "mineGc", "npm"] as const;
type RssRun = typeof RSS_RUNS[number];

interface RssRow {
  service: string;
  runs: Record<RssRun, Rss>;
}

/** Median peak and idle RSS of each implementation, interleaved rounds. */
async function rssRow(service: Service, binary: string): Promise<RssRow> {
  const { size, width, batches } = RSS;
  const path = (who: string): string => `${who}/rss-${size}`;
  const deno = (who: "this" | "npm", gc: boolean) => () =>
    measureRss(who, gc, service.spec, path(who), size, width, batches);
  const take: Record<RssRun, () => Promise<Rss>> = {
    raw: () =>
      runRaw(binary, service.spec, {
        op: "read",
        size,
        entries: 0,
        path: path("raw"),
        inFlight: width,
        count: width * batches,
      }),
    mine: deno("this", false),
    mineGc: deno("this", true),
    npm: deno("npm", false),
  };
  const rounds: Record<RssRun, Rss[]> = {
    raw: [],
    mine: [],
    mineGc: [],
    npm: [],
  };
  for (let round = 0; round < RSS.rounds; round++) {
    for (let k = 0; k < RSS_RUNS.length; k++) {
      const who = RSS_RUNS[(round + k) % RSS_RUNS.length];
      rounds[who].push(await take[who]());
    }
  }
  const med = (rs: Rss[]): Rss => ({
    rss_kib: median(rs.map((r) => r.rss_kib)),
    peak_rss_kib: median(rs.map((r) => r.peak_rss_kib)),
  });
  const runs = Object.fromEntries(
    RSS_RUNS.map((who) => [who, med(rounds[who])]),
  ) as Record<RssRun, Rss>;
  return { service: service.name, runs };
}

const mib = (kib: number): string => (kib / 1024).toFixed(1);
const growth = (r: Rss): number => r.peak_rss_kib - r.rss_kib;

/** The ratios the peak-memory target is checked on. */
const RSS_RATIOS: [string, (r: RssRow) => number][] = [
  ["whole process", (r) => r.runs.mine.peak_rss_kib / r.runs.raw.peak_rss_kib],
  ["growth", (r) => growth(r.runs.mine) / growth(r.runs.raw)],
  ["growth with gc()", (r) => growth(r.runs.mineGc) / growth(r.runs.raw)],
];

function rssTable(rows: RssRow[]): string {
  const head = [
    "service",
    "raw Rust",
    "this module",
    "this module, gc()",
    "npm:opendal",
    ...RSS_RATIOS.map(([label]) => `this / raw, ${label}`),
  ];
  const both = (x: Rss): string => `${mib(x.peak_rss_kib)} (${mib(x.rss_kib)})`;
  const cells = rows.map((r) => [
    r.service,
    both(r.runs.raw),
    both(r.runs.mine),
    both(r.runs.mineGc),
    both(r.runs.npm),
    ...RSS_RATIOS.map(([, ratio]) => {
      const v = ratio(r);
      return `${times(v)} ${mark(v <= RSS_BOUND)}`;
    }),
  ]);
  return [
    `## Peak RSS, ${RSS.width} × ${sizeName(RSS.size)} reads in flight (MiB)`,
    "",
    `Each implementation in a fresh process: ${RSS.batches} batches of ` +
    `${RSS.width} concurrent reads, each batch's results kept until it is in, ` +
    `median of ${RSS.rounds} rounds. Cells are peak (idle): peak is VmHWM, ` +
    "idle is VmRSS once the operator and its file were ready, and growth is " +
    'peak minus idle. "gc()" runs V8\'s collector before each batch, which ' +
    "separates what the reads hold from garbage V8 has not collected yet. " +
    `Target: ≤ ${RSS_BOUND}× raw Rust.`,
    "",
    ...markdownTable([head, ...cells]),
  ].join("\n");
}

// ---------------------------------------------------------------------------
// The report.

/** Whether `--allow-sys` covers `kind`, asked so no prompt stops the run. */
function sysAllowed(
  kind: "cpus" | "loadavg" | "osRelease" | "systemMemoryInfo",
): boolean {
  return Deno.permissions.querySync({ name: "sys", kind }).state === "granted";
}

/** The CPU model; Deno needs `--allow-sys` to tell it. */
function cpuModel(): string {
  return (sysAllowed("cpus") && cpus()[0]?.model) || "unknown CPU";
}

/** Total memory in GiB, or "?". */
function memoryGiB(): string {
  if (!sysAllowed("systemMemoryInfo")) return "?";
  return (Deno.systemMemoryInfo().total / 1024 ** 3).toFixed(0);
}

/** The 1-minute load average: other work on the machine skews the run. */
function load(): string {
  return sysAllowed("loadavg") ? Deno.loadavg()[0].toFixed(2) : "?";
}

/** The checkout's commit, marked when the tree has changes. */
async function commit(): Promise<string> {
  const git = async (...args: string[]): Promise<string> => {
    const out = await new Deno.Command("git", { args, stderr: "null" })
      .output().catch(() => null);
    return out?.success ? new TextDecoder().decode(out.stdout).trim() : "";
  };
  const head = await git("rev-parse", "--short", "HEAD");
  if (!head) return "unknown";
  return (await git("status", "--porcelain")) ? `${head} + changes` : head;
}

/** The machine, one short line each so `deno fmt` keeps them. */
async function header(loadBefore: string, binary: string): Promise<string[]> {
  const { os, arch } = Deno.build;
  const kernel = sysAllowed("osRelease") ? Deno.osRelease() : "?";
  return [
    "# @opendal/core against raw Rust and npm:opendal 0.49.2",
    "",
    `- Machine: ${cpuModel()}, ${navigator.hardwareConcurrency} cores, ${memoryGiB()} GiB, ${os}/${arch}, kernel ${kernel}`,
    `- Deno ${Deno.version.deno}, V8 ${Deno.version.v8}, commit ${await commit()}, ${
      new Date().toISOString().slice(0, 10)
    }`,
    `- Load average (1 min): ${loadBefore} before the run, ${load()} after`,
    `- Median of ${ROUNDS} rounds of ~${SAMPLE_MS} ms each, implementations interleaved`,
    // The cargo target directory is this machine's: name it as cargo does.
    `- Raw Rust: \`${
      binary.replace(/^.*\/(release\/)/, "$CARGO_TARGET_DIR/$1")
    }\` ` +
    "(rust/src/bin/opendal_bench.rs), a fresh process per round",
    "",
    "Raw Rust is the floor: blocking rows are `runtime.block_on(op.xxx())` " +
    "on the calling thread (how this module's `*Sync` calls run); rows with " +
    "N in flight spawn N operations on the multi-thread runtime and await " +
    "them together. It moves the payload once, as a binding must: a read " +
    "copies into a `Vec`, a write copies the caller's bytes into a `Buffer`. " +
    "`this / raw` is this module's time over raw Rust's (lower is better); " +
    "`npm / this` is npm:opendal's time over this module's (higher is better).",
    "",
    "Caveats. Every fs operation, and every raw Rust row with operations in " +
    "flight, crosses threads (tokio's blocking pool, or a spawned task), and " +
    "on a small VM a wake-up on an idle core costs 10–40 µs depending on the " +
    "scheduler's state: pinned to one core, raw Rust's fs `stat` takes 13 µs " +
    "and 30–45 µs unpinned. Raw Rust runs in a fresh process, this module in " +
    "the long-lived benchmark process, so fs ratios below 1 are that effect, " +
    "not a binding faster than OpenDAL. For `await` rows with 1 in flight " +
    "the module finishes memory operations inline on the calling thread, " +
    "while the raw floor spawns each one on the runtime: there the module " +
    "really does skip a thread hop.",
  ];
}

function targetsSection(rows: Row[], rssRows: RssRow[]): string {
  const lines = summary(rows);
  for (const [label, ratio] of RSS_RATIOS) {
    const values = rssRows.map((r) => ({ r, v: ratio(r) }));
    const worst = values.sort((a, b) => b.v - a.v)[0];
    const met = values.filter(({ v }) => v <= RSS_BOUND).length;
    lines.push([
      `peak RSS with 64 × 1 MiB reads in flight ≤ 1.5× raw Rust (${label})`,
      "memory and fs",
      `${met}/${values.length}`,
      `${worst.r.service}: ${times(worst.v)}`,
      mark(met === values.length),
    ]);
  }
  return ["## Targets (issue 6)", "", ...markdownTable(lines, [0, 1, 3])].join(
    "\n",
  );
}

// ---------------------------------------------------------------------------

/** The columns of `service`: raw Rust first, then the in-process ones. */
function columnsOf(
  service: Service,
  npm: NpmOpendal,
  binary: string,
): { columns: Column[]; impls: Impl[] } {
  const impls = [openThisModule(service.spec), openNpm(npm, service.spec)];
  const columns: Column[] = [
    new Raw(binary, service.spec),
    new InProcess("this module", impls[0], "this/"),
    new InProcess("npm:opendal", impls[1], "npm/"),
  ];
  if (service.denoRoot) {
    impls.push(denoBuiltin(service.denoRoot));
    columns.push(new InProcess("Deno", impls[2], "deno/"));
  }
  return { columns, impls };
}

/** Removes what the columns wrote to a shared, remote service. */
async function removeBenchFiles(service: Service): Promise<void> {
  const op = new Operator(service.spec.scheme, service.spec.options);
  for (const dir of ["raw/", "this/", "npm/"]) await op.removeAll(dir);
  op.close();
}

async function main(): Promise<void> {
  const started = performance.now();
  const built = findRawBinary();
  const npm = await loadNpmOpendal();
  const root = await Deno.makeTempDir({ prefix: "opendal-bench-" });
  // A build from another checkout sharing the cargo target directory may
  // clean it mid-run: run a copy of the binary.
  const binary = `${root}.opendal_bench`;
  await Deno.copyFile(built, binary);
  const impls: Impl[] = [];
  try {
    // Deno's file APIs do not create parent directories.
    await Deno.mkdir(`${root}/deno`);
    const loadBefore = load();
    const tables: string[] = [];
    const rows: Row[] = [];
    const rssRows: RssRow[] = [];
    for (const service of services(root)) {
      const made = columnsOf(service, npm, binary);
      impls.push(...made.impls);
      if (service.workloads.some((w) => w.op === "list")) {
        prepareListing(service, made.impls);
      }
      const serviceRowsDone = await serviceRows(service, made.columns);
      rows.push(...serviceRowsDone);
      tables.push(serviceTable(service, serviceRowsDone));
      if (service.rss) rssRows.push(await rssRow(service, binary));
      if (service.name === "s3") await removeBenchFiles(service);
    }
    const report = [
      ...await header(loadBefore, built),
      "",
      targetsSection(rows, rssRows),
      "",
      tables.join("\n\n"),
      "",
      rssTable(rssRows),
      "",
    ].join("\n");
    console.log(report);
    console.error(
      `took ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    if (smoke || memoryOnly) {
      console.error("partial run: bench/RESULTS.md left unchanged");
    } else {
      // bench/s3.ts keeps its own section of the file.
      await replaceSection("compare", report);
    }
  } finally {
    for (const impl of impls) impl.close();
    await Deno.remove(root, { recursive: true });
    await Deno.remove(binary);
  }
}

await main();
