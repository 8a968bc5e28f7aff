/**
 * How much of a small blocking read is the FFI boundary, and how much the
 * library: issue 19's `readInto` ≤ 1.3× raw Rust, measured against the
 * floor a binding cannot go under.
 *
 *     deno run --allow-ffi --allow-read --allow-env --allow-run bench/floor.ts
 *
 * `bench/floor/` is OpenDAL's ranged read of a memory file into the
 * caller's buffer, with none of the library's bookkeeping, built as a
 * shared library of its own (the library's OpenDAL, tokio and release
 * profile). For 16 B and 4 KiB, interleaved, median of ROUNDS rounds of
 * CALLS calls, it times (ns per read):
 *
 * - raw Rust: the floor's read in a Rust loop, in this process;
 * - the floor through Deno's FFI: the same read, one FFI call each;
 * - the library's bare `opendal_operator_read_into` call, input encoded
 *   once (what the library adds in Rust);
 * - `op.readIntoSync` and `op.readSync` (what the module adds in
 *   JavaScript on top);
 * - a fresh `Uint8Array` of the size, filled by `set`: what every read that
 *   returns new memory pays in V8, whatever the binding.
 *
 * The floor builds into the benchmarks' cargo target directory
 * (`cargoTargetDir`, outside the clone).
 *
 * @module
 */

import { MemoryOperator } from "@opendal/core/services/memory";
import { Tag } from "../src/_ffi/codec.ts";
import { lib } from "../src/_ffi/native.ts";
import { HANDLE } from "../src/shared.ts";
import { buildFileName } from "../src/_loader/platform.ts";
import { cargoTargetDir } from "./raw.ts";

const ROUNDS = 9;
const CALLS = 100_000;
const SIZES = [16, 4096];

/** Builds the floor library (incremental) and returns its path. */
function buildFloor(): string {
  const target = cargoTargetDir();
  const manifest = new URL("./floor/Cargo.toml", import.meta.url).pathname;
  const built = new Deno.Command("cargo", {
    args: ["build", "--release", "--manifest-path", manifest],
    env: { CARGO_TARGET_DIR: target },
    stdout: "inherit",
    stderr: "inherit",
  }).outputSync();
  if (!built.success) throw new Error("cargo build of bench/floor failed");
  // Named as cargo names the library's own file on this system.
  const file = buildFileName().replace("opendal_deno", "opendal_floor");
  return `${target}/release/${file}`;
}

const floor = Deno.dlopen(buildFloor(), {
  floor_init: { parameters: ["f64"], result: "bool" },
  floor_read_into: { parameters: ["buffer", "f64"], result: "f64" },
  floor_loop: { parameters: ["f64", "buffer", "f64"], result: "f64" },
}).symbols;

/** Nanoseconds per call of `f`, over CALLS calls. */
function time(f: () => unknown): number {
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) f();
  return (performance.now() - start) * 1e6 / CALLS;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/** Times every row for `size`; returns median ns per row. */
function measure(size: number): Map<string, number> {
  if (!floor.floor_init(size)) throw new Error("floor_init failed");
  const op = new MemoryOperator();
  op.writeSync("p", new Uint8Array(size).fill(1));
  const n = lib();
  const handle = (op as unknown as Record<symbol, number>)[HANDLE];
  const encoded = n.input.reset().string(Tag.Path, "p", "path")
    .number(Tag.Length, size, "length");
  const input = encoded.buffer.slice(0, encoded.length);
  const dst = new Uint8Array(size);
  const source = new Uint8Array(size).fill(1);
  const rows: [string, () => number][] = [
    ["raw Rust (in this process)", () => floor.floor_loop(CALLS, dst, size)],
    [
      "the floor through FFI",
      () => time(() => floor.floor_read_into(dst, size)),
    ],
    [
      "bare opendal_operator_read_into",
      () =>
        time(() =>
          n.sym.opendal_operator_read_into(
            handle,
            input,
            input.byteLength,
            dst,
            size,
            n.queue,
            0,
            n.outBuffer,
            n.out.length,
          )
        ),
    ],
    ["op.readIntoSync", () => time(() => op.readIntoSync("p", dst))],
    ["op.readSync", () => time(() => op.readSync("p"))],
    [
      "a fresh Uint8Array, filled",
      () => time(() => new Uint8Array(size).set(source)),
    ],
  ];
  const samples = new Map(rows.map(([name]) => [name, [] as number[]]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of rows) samples.get(name)!.push(run());
  }
  op.close();
  return new Map([...samples].map(([name, v]) => [name, median(v)]));
}

const results = SIZES.map((size) => [size, measure(size)] as const);
const names = [...results[0][1].keys()];
console.log(
  `| ns per read | ${
    SIZES.map((s) => `${s} B | / raw`).join(" | ")
  } |\n| --- | ${SIZES.map(() => "---: | ---:").join(" | ")} |`,
);
for (const name of names) {
  const cells = results.map(([, m]) => {
    const raw = m.get(names[0])!;
    return `${m.get(name)!.toFixed(0)} | ${(m.get(name)! / raw).toFixed(2)}×`;
  });
  console.log(`| ${name} | ${cells.join(" | ")} |`);
}
