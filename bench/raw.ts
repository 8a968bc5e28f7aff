/**
 * The floor: `rust/src/bin/opendal_bench.rs`, the same workloads done with
 * the OpenDAL crate directly, run as one subprocess per measurement.
 *
 * It is `OPENDAL_BENCH_RAW` when set; otherwise `findRawBinary` builds it
 * (`cargo build --release --bin opendal_bench`, incremental: `deno task
 * build` builds only the library) into `$CARGO_TARGET_DIR/release/`, by
 * default `~/.cache/opendal-deno/target/release/`.
 *
 * @module
 */

import type { OpName, ServiceSpec } from "./impls.ts";
import { platformOf } from "../src/_loader/platform.ts";
import { MAX_GLIBC } from "../scripts/glibc_floor.ts";

/** One JSON line of the raw binary. */
export interface RawResult {
  us_per_op: number;
  count: number;
  /** VmRSS (KiB) once the operator and its files were ready. */
  rss_kib: number;
  /** VmHWM (KiB) at the end. */
  peak_rss_kib: number;
}

/** What to run: mirrors the binary's flags. */
export interface RawJob {
  op: OpName;
  size: number;
  entries: number;
  path: string;
  /** 0 runs blocking (`runtime.block_on` per operation). */
  inFlight: number;
  /** Exactly this many operations, with no warm-up... */
  count?: number;
  /** ...or a warm-up, then about this long. */
  durationMs?: number;
}

function envIfAllowed(name: string): string | undefined {
  const state = Deno.permissions.querySync({ name: "env", variable: name });
  return state.state === "granted" ? Deno.env.get(name) : undefined;
}

/** The cargo target directory the benchmarks build into (outside the clone). */
export function cargoTargetDir(): string {
  return envIfAllowed("CARGO_TARGET_DIR") ??
    `${envIfAllowed("HOME")}/.cache/opendal-deno/target`;
}

/** Where the binary is: built (or brought up to date) first. */
export function findRawBinary(): string {
  const explicit = envIfAllowed("OPENDAL_BENCH_RAW");
  if (explicit) return explicit;
  const target = cargoTargetDir();
  // A portable build (as CI makes, scripts/build.ts) is for the glibc 2.28
  // target: building the binary for it too reuses every dependency the
  // library's build compiled, where a host build would compile them again.
  const portable = Deno.build.os === "linux" &&
    envIfAllowed("OPENDAL_DENO_PORTABLE") === "1" &&
    platformOf()?.rustTarget;
  const args = portable
    ? ["zigbuild", "--target", `${portable}.${MAX_GLIBC}`]
    : ["build"];
  const built = new Deno.Command("cargo", {
    args: [...args, "--release", "--bin", "opendal_bench"],
    cwd: new URL("../rust/", import.meta.url),
    env: { CARGO_TARGET_DIR: target },
    stdout: "inherit",
    stderr: "inherit",
  }).outputSync();
  if (!built.success) {
    throw new Error(
      `cargo ${args.join(" ")} --release --bin opendal_bench failed; ` +
        "or point OPENDAL_BENCH_RAW at a built binary",
    );
  }
  return portable
    ? `${target}/${portable}/release/opendal_bench`
    : `${target}/release/opendal_bench`;
}

/** The binary's arguments for `job` on `spec`. */
export function rawArgs(spec: ServiceSpec, job: RawJob): string[] {
  const args = ["--service", spec.scheme];
  for (const [k, v] of Object.entries(spec.options)) {
    args.push("--opt", `${k}=${v}`);
  }
  args.push(
    // Raw Rust has no `readInto`: its `read` is the floor for both rows.
    ...[
      "--op",
      job.op === "readInto" ? "read" : job.op,
      "--size",
      `${job.size}`,
    ],
    ...["--entries", `${job.entries}`, "--path", job.path],
    ...["--in-flight", job.inFlight === 0 ? "sync" : `${job.inFlight}`],
  );
  if (job.count !== undefined) args.push("--count", `${job.count}`);
  else args.push("--duration-ms", `${job.durationMs ?? 100}`);
  return args;
}

/** Runs the binary once and returns its result line. */
export async function runRaw(
  binary: string,
  spec: ServiceSpec,
  job: RawJob,
): Promise<RawResult> {
  const args = rawArgs(spec, job);
  const out = await new Deno.Command(binary, { args, stderr: "piped" })
    .output();
  const text = new TextDecoder();
  if (!out.success) {
    throw new Error(
      `opendal_bench ${args.join(" ")} failed:\n${text.decode(out.stderr)}`,
    );
  }
  return JSON.parse(text.decode(out.stdout)) as RawResult;
}
