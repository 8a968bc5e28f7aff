/**
 * The loop bench/profile.sh runs under callgrind: COUNT blocking calls of
 * one STAGE on the memory service, after WARM more that let V8 optimise.
 *
 *     deno run --allow-ffi --allow-read --allow-env bench/profile.ts STAGE WARM COUNT
 *
 * A stage is a whole operation (`stat`, `read`, `write`: `op.statSync(...)`
 * and its twins) or a part of one, calling the library's symbols directly,
 * so that differences between stages show where instructions go:
 *
 * - `loop`: the loop alone (subtract it from the others);
 * - `statCall`: the bare `opendal_operator_stat` FFI call, input encoded
 *   once; `statCallAb`: the same with `ArrayBuffer` arguments, not views;
 * - `statEncode`: `statCall` plus encoding the path each time;
 * - `statDecode`: `statCall` plus decoding the record into a `Metadata`;
 * - `readCall`: `opendal_operator_read`, its bytes copied from `out` into
 *   a reused buffer; `readAlloc`: the same into a new `Uint8Array`;
 * - `writeCall`: the bare `opendal_operator_write` call;
 * - `readInto`: `op.readIntoSync` into one reused buffer;
 * - `npmRead`: npm:opendal 0.49.2's `readSync` (the peer issue 19 compares).
 *
 * Every stage reads or writes SIZE bytes (`PROFILE_SIZE`, default 16).
 *
 * Two runs that differ only in COUNT give the instructions of one call,
 * free of start-up costs.
 *
 * @module
 */

import { MemoryOperator } from "@opendal/core/services/memory";
import { Tag } from "../src/_ffi/codec.ts";
import { Metadata } from "../src/metadata.ts";
import { lib } from "../src/_ffi/native.ts";
import { HANDLE } from "../src/shared.ts";
import { loadNpmOpendal } from "./impls.ts";

const [stage, warm, count] = Deno.args;
const SIZE = Number(Deno.env.get("PROFILE_SIZE") ?? 16);
const data = new Uint8Array(SIZE).fill(1);
const op = new MemoryOperator();
op.writeSync("p", data);

const n = lib();
const { sym, queue, out } = n;
const handle = (op as unknown as Record<symbol, number>)[HANDLE];
const input = n.input.reset().string(Tag.Path, "p", "path");
const { bytes, length } = input;
const bytesAb = bytes.buffer;
const outAb = out.buffer;
const held = new Uint8Array(SIZE);
const npm = stage === "npmRead"
  ? new (await loadNpmOpendal()).Operator("memory", {})
  : undefined;
npm?.writeSync("p", data);

const stat = (): number =>
  sym.opendal_operator_stat(handle, bytes, length, queue, 0, out, out.length);
const read = (): number =>
  sym.opendal_operator_read(handle, bytes, length, queue, 0, out, out.length);

const stages: Record<string, () => unknown> = {
  loop: () => 0,
  stat: () => op.statSync("p"),
  read: () => op.readSync("p"),
  write: () => op.writeSync("p", data),
  readInto: () => op.readIntoSync("p", held),
  npmRead: () => npm!.readSync("p"),
  statCall: stat,
  statCallAb: () =>
    sym.opendal_operator_stat(
      handle,
      bytesAb,
      length,
      queue,
      0,
      outAb,
      out.length,
    ),
  statEncode: () => {
    const i = n.input.reset().string(Tag.Path, "p", "path");
    return sym.opendal_operator_stat(
      handle,
      i.bytes,
      i.length,
      queue,
      0,
      out,
      out.length,
    );
  },
  statDecode: () => n.sync(stat(), (r) => new Metadata(r), "stat", "p"),
  // A small result follows its 12-byte record (length, inline flag) in out.
  readCall: () => (read(), held.set(out.subarray(12, 12 + SIZE))),
  readAlloc: () => (read(), out.slice(12, 12 + SIZE)),
  writeCall: () =>
    sym.opendal_operator_write(
      handle,
      bytes,
      length,
      data,
      SIZE,
      queue,
      0,
      out,
      out.length,
    ),
};

/** The loop, in a function so that V8 optimises it like any hot code. */
function repeat(run: () => unknown, times: number): void {
  for (let i = 0; i < times; i++) run();
}

const run = stages[stage];
if (!run) throw new Error(`unknown stage ${stage}`);
repeat(run, +warm + +count);
op.close();
