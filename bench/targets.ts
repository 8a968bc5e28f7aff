/**
 * The performance targets of issue 6, as checks on the rows of one run.
 *
 * Ratios compare medians of the same run: "× raw" is this module's time over
 * raw Rust's, "× npm" is npm:opendal's time over this module's (how many
 * times faster this module is). The npm-relative targets are checked on the
 * memory service, where the binding is all there is to measure; on fs both
 * bindings wait on the same system calls, and the fs target bounds this
 * module against raw Rust instead.
 *
 * @module
 */

import type { OpName } from "./impls.ts";

/** What a row measured. */
export interface Workload {
  name: string;
  op: OpName;
  size: number;
  /** 0 for blocking calls. */
  inFlight: number;
}

/** A row's medians, µs per operation. */
export interface Row {
  service: string;
  workload: Workload;
  raw: number;
  mine: number;
  npm: number;
  deno?: number;
}

/** One bound on one ratio, over the rows it applies to. */
export interface Target {
  /** The words. */
  text: string;
  /** The rows it is checked on. */
  scope: string;
  /** Short form for the table's targets column. */
  short: string;
  applies(service: string, w: Workload): boolean;
  /** The ratio this target bounds. */
  ratio(row: Row): number;
  met(ratio: number): boolean;
}

const KiB = 1024;
const MiB = 1024 * KiB;

const small = (w: Workload): boolean => w.op !== "list" && w.size <= 4 * KiB;
const large = (w: Workload): boolean =>
  (w.op === "read" || w.op === "write") && w.size >= MiB;
const overRaw = (row: Row): number => row.mine / row.raw;
const npmOver = (row: Row): number => row.npm / row.mine;

/** Every per-row target. */
export const TARGETS: Target[] = [
  {
    text: "sync 16 B and 4 KiB stat/read/write on memory ≤ 1.3× raw Rust",
    scope: "memory, blocking, 16 B and 4 KiB",
    short: "≤1.3× raw",
    applies: (s, w) => s === "memory" && w.inFlight === 0 && small(w),
    ratio: overRaw,
    met: (r) => r <= 1.3,
  },
  {
    text: "async one awaited at a time ≤ 0.6× npm:opendal's time",
    scope: "memory, 1 in flight, 16 B and 4 KiB",
    short: "≤0.6× npm time",
    applies: (s, w) => s === "memory" && w.inFlight === 1 && small(w),
    ratio: (row) => row.mine / row.npm,
    met: (r) => r <= 0.6,
  },
  {
    text: "async small ops 64 and 256 in flight ≥ 4× npm:opendal's throughput",
    scope: "memory, 64 and 256 in flight",
    short: "≥4× npm",
    applies: (s, w) => s === "memory" && w.inFlight >= 64,
    ratio: npmOver,
    met: (r) => r >= 4,
  },
  {
    text: "async small ops 64 and 256 in flight ≤ 1.5× raw Rust",
    scope: "memory, 64 and 256 in flight",
    short: "≤1.5× raw",
    applies: (s, w) => s === "memory" && w.inFlight >= 64,
    ratio: overRaw,
    met: (r) => r <= 1.5,
  },
  {
    text: "1 MiB and 64 MiB read and write ≥ 3× npm:opendal",
    scope: "memory, read/write ≥ 1 MiB, blocking and 1 in flight",
    short: "≥3× npm",
    applies: (s, w) => s === "memory" && large(w),
    ratio: npmOver,
    met: (r) => r >= 3,
  },
  {
    text: "1 MiB and 64 MiB read and write ≤ 1.2× raw Rust",
    scope: "memory, read/write ≥ 1 MiB, blocking and 1 in flight",
    short: "≤1.2× raw",
    applies: (s, w) => s === "memory" && large(w),
    ratio: overRaw,
    met: (r) => r <= 1.2,
  },
  {
    text: "fs service every workload ≤ 1.15× raw Rust",
    scope: "fs, every row",
    short: "≤1.15× raw",
    applies: (s) => s === "fs",
    ratio: overRaw,
    met: (r) => r <= 1.15,
  },
  {
    text: "S3 64 in flight ≤ 1.1× raw Rust",
    scope: "s3, 64 in flight",
    short: "≤1.1× raw",
    applies: (s, w) => s === "s3" && w.inFlight >= 64,
    ratio: overRaw,
    met: (r) => r <= 1.1,
  },
  {
    text: "list 10 000 entries ≤ 1.3× raw Rust",
    scope: "list rows, both services",
    short: "≤1.3× raw",
    applies: (_s, w) => w.op === "list",
    ratio: overRaw,
    met: (r) => r <= 1.3,
  },
];

/** The bound peak memory is held to, as a multiple of raw Rust's. */
export const RSS_BOUND = 1.5;

const mark = (ok: boolean): string => ok ? "✓" : "✗";

/** The targets column of `row`: each bound that applies, met or not. */
export function rowTargets(row: Row): string {
  return TARGETS.filter((t) => t.applies(row.service, row.workload))
    .map((t) => `${t.short} ${mark(t.met(t.ratio(row)))}`)
    .join(", ");
}

/** One summary line per target: rows met, and the worst row. */
export function summary(rows: Row[]): string[][] {
  const lines = [["target", "checked on", "rows met", "worst row", "met"]];
  for (const t of TARGETS) {
    const scoped = rows.filter((r) => t.applies(r.service, r.workload));
    if (scoped.length === 0) continue;
    const ratios = scoped.map((r) => ({ r, v: t.ratio(r) }));
    const bad = ratios.filter(({ v }) => !t.met(v));
    // The worst row is the one furthest on the wrong side of the bound.
    const upper = t.met(0);
    ratios.sort((a, b) => upper ? b.v - a.v : a.v - b.v);
    const worst = ratios[0];
    lines.push([
      t.text,
      t.scope,
      `${scoped.length - bad.length}/${scoped.length}`,
      `${worst.r.service} ${worst.r.workload.name}: ${worst.v.toFixed(2)}×`,
      mark(bad.length === 0),
    ]);
  }
  return lines;
}

export { mark };
