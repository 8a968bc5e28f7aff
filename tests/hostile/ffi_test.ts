/**
 * Hostile calls from JavaScript straight into the native library, through
 * the module's own symbol table: null and detached buffers, NaN, Infinity
 * and negative doubles, huge u32s, forged and foreign handles. Each call
 * returns its documented status and the process survives.
 */

import assert from "node:assert/strict";
import { ErrorCode, Status, Tag } from "../../src/_ffi/abi.ts";
import { library } from "../../src/_loader/library.ts";

const lib = library().symbols;

// Status codes and tags from the generated mirror (tests/library/mirror_test.ts
// checks it against the C header).
const { Ok: OK, Pending: PENDING, BadOut: BAD_OUT, Closed: CLOSED } = Status;
const MIN_OUT = 64;
const CONFIG_INVALID = ErrorCode.ConfigInvalid;
const TAG_PATH = Tag.Path;
const TAG_SCHEME = Tag.Scheme;
const TAG_EXPIRE = Tag.Expire;
const U32_MAX = 0xffff_ffff;

const encoder = new TextEncoder();

/** One tagged input field: [u8 tag][u32 LE length][bytes]. */
function field(
  tag: number,
  value: Uint8Array | string,
): Uint8Array<ArrayBuffer> {
  const bytes = typeof value === "string" ? encoder.encode(value) : value;
  const out = new Uint8Array(5 + bytes.length);
  out[0] = tag;
  new DataView(out.buffer).setUint32(1, bytes.length, true);
  out.set(bytes, 5);
  return out;
}

/** The message of an error record in `out`. */
function message(out: Uint8Array): string {
  const view = new DataView(out.buffer, out.byteOffset);
  const len = view.getUint32(4, true);
  assert.ok(8 + len <= out.length, "the message fits in out");
  return new TextDecoder("utf-8", { fatal: true }).decode(
    out.subarray(8, 8 + len),
  );
}

function expectStatus(
  what: string,
  status: number,
  code: number,
  out: Uint8Array,
  says = "",
) {
  const msg = status > 0 ? message(out) : "";
  assert.equal(status, code, `${what}: ${status} ${msg}`);
  assert.ok(
    msg.includes(says),
    `${what}: ${JSON.stringify(msg)} lacks ${says}`,
  );
}

/** A zero-length buffer and one whose memory was transferred away. */
function detached(): ArrayBuffer {
  const b = new ArrayBuffer(16);
  b.transfer();
  assert.equal(b.detached, true);
  return b;
}

function setup() {
  const queue = lib.opendal_queue_new();
  assert.notEqual(queue, 0);
  const out = new Uint8Array(4096);
  const input = field(TAG_SCHEME, "memory");
  const s = lib.opendal_operator_new(
    input,
    input.length,
    queue,
    0,
    out,
    out.length,
  );
  assert.equal(s, OK);
  const op = new DataView(out.buffer).getFloat64(0, true);
  const path = field(TAG_PATH, "file");
  const data = encoder.encode("hostile bytes");
  assert.equal(
    lib.opendal_operator_write(
      op,
      path,
      path.length,
      data,
      data.length,
      queue,
      0,
      out,
      out.length,
    ),
    OK,
  );
  const close = () => {
    assert.equal(lib.opendal_close(op), OK);
    assert.equal(lib.opendal_close(queue), OK);
  };
  return { queue, op, out, path, data, close };
}

Deno.test("null, zero-length and detached buffers get clear statuses", async () => {
  const { queue, op, out, path, close } = setup();
  // A null or empty `out` is BAD_OUT, whatever length comes with it.
  for (const buf of [null, new Uint8Array(0), new ArrayBuffer(0), detached()]) {
    for (const cap of [0, 1, MIN_OUT - 1]) {
      assert.equal(
        lib.opendal_operator_stat(op, path, path.length, queue, 0, buf, cap),
        BAD_OUT,
      );
      assert.equal(lib.opendal_operator_info(op, queue, 0, buf, cap), BAD_OUT);
      assert.equal(lib.opendal_log_drain(queue, buf, cap), BAD_OUT);
      assert.equal(lib.opendal_queue_outcome(queue, 1, buf, cap), BAD_OUT);
    }
  }
  for (const cap of [MIN_OUT, 4096, U32_MAX]) {
    assert.equal(
      lib.opendal_operator_stat(op, path, path.length, queue, 0, null, cap),
      BAD_OUT,
    );
  }
  // A null input with a length is refused; with length 0 it is empty input.
  for (const len of [1, 4096, U32_MAX]) {
    const s = lib.opendal_operator_stat(
      op,
      null,
      len,
      queue,
      0,
      out,
      out.length,
    );
    expectStatus(`null input of ${len}`, s, CONFIG_INVALID, out, "null");
  }
  for (const buf of [null, new Uint8Array(0), detached()]) {
    const s = lib.opendal_operator_stat(op, buf, 0, queue, 0, out, out.length);
    expectStatus("empty input", s, CONFIG_INVALID, out, "path is missing");
    const w = lib.opendal_operator_write(
      op,
      path,
      path.length,
      buf,
      0,
      queue,
      0,
      out,
      out.length,
    );
    expectStatus("write of nothing", w, OK, out);
  }
  for (const len of [1, 1000]) {
    const w = lib.opendal_operator_write(
      op,
      path,
      path.length,
      null,
      len,
      queue,
      0,
      out,
      out.length,
    );
    expectStatus(`null data of ${len}`, w, CONFIG_INVALID, out, "data is null");
  }
  // queue_wait with no room for tickets returns BAD_OUT at once, even untimed.
  for (const buf of [null, new Uint8Array(0), detached()]) {
    assert.equal(await lib.opendal_queue_wait(queue, buf, 16, -1), BAD_OUT);
  }
  close();
});

Deno.test("NaN, Infinity, negative and huge doubles are refused", async () => {
  const { queue, op, out, path, data, close } = setup();
  const bad = [
    NaN,
    Infinity,
    -Infinity,
    -1,
    -0.5,
    0.5,
    2 ** 53 + 2,
    2 ** 64,
    1e300,
  ];
  for (const n of bad) {
    const w = lib.opendal_operator_write(
      op,
      path,
      path.length,
      data,
      n,
      queue,
      0,
      out,
      out.length,
    );
    expectStatus(`write length ${n}`, w, CONFIG_INVALID, out, "data");
  }
  const r = new Uint8Array(out.length);
  assert.equal(
    lib.opendal_operator_reader(op, path, path.length, queue, 0, r, r.length),
    OK,
  );
  const reader = new DataView(r.buffer).getFloat64(0, true);
  // Offset -1 asks for the last `length` bytes (a suffix read), and needs a
  // length.
  const suffix = lib.opendal_reader_read(
    reader,
    -1,
    -1,
    queue,
    0,
    out,
    out.length,
  );
  expectStatus(
    "reader suffix without length",
    suffix,
    CONFIG_INVALID,
    out,
    "suffix",
  );
  for (const n of bad) {
    if (n === -1) continue;
    const s = lib.opendal_reader_read(reader, n, 4, queue, 0, out, out.length);
    expectStatus(`reader offset ${n}`, s, CONFIG_INVALID, out, "offset");
    if (n !== -1) {
      const t = lib.opendal_reader_read(
        reader,
        0,
        n,
        queue,
        0,
        out,
        out.length,
      );
      expectStatus(`reader length ${n}`, t, CONFIG_INVALID, out, "length");
    }
  }
  // -0 is zero: an empty read.
  expectStatus(
    "reader length -0",
    lib.opendal_reader_read(reader, -0, -0, queue, 0, out, out.length),
    OK,
    out,
  );
  lib.opendal_queue_release(queue, 0);
  // take: only the announced size, never NaN or a lie about the buffer.
  const small = new Uint8Array(MIN_OUT);
  assert.equal(
    lib.opendal_operator_info(op, queue, 5, small, small.length),
    -2,
  );
  const size = new DataView(small.buffer).getFloat64(0, true);
  const dst = new Uint8Array(size);
  for (const n of [...bad, 0, size - 1, size + 1, U32_MAX]) {
    assert.equal(
      lib.opendal_queue_take(queue, 5, dst, n),
      CONFIG_INVALID,
      `take ${n}`,
    );
  }
  assert.equal(lib.opendal_queue_take(queue, 5, null, size), CONFIG_INVALID);
  assert.equal(lib.opendal_queue_take(queue, 5, dst, size), OK);
  // Timeouts: a negative one on a queue with nothing pending must not be
  // needed to return; 0 only looks.
  const tickets = new Uint8Array(64);
  assert.equal(await lib.opendal_queue_wait(queue, tickets, 16, 0), 0);
  assert.equal(await lib.opendal_queue_wait(queue, null, 16, -1), BAD_OUT);
  assert.equal(lib.opendal_close(reader), OK);
  close();
});

Deno.test("forged and foreign handles, huge tickets and kinds are refused", async () => {
  const { queue, op, out, path, close } = setup();
  const tag = lib.opendal_instance();
  const ours = (low: number) => tag * 2 ** 32 + low;
  const foreign = (tag ^ 1) * 2 ** 32 + (op % 2 ** 32);
  for (
    const h of [
      U32_MAX,
      0x8000_0000,
      0xfff0_0000,
      0,
      -1,
      NaN,
      Infinity,
      // Handles are above 2^52, where doubles hold no fractions.
      0.5,
      2 ** 53,
      foreign,
      ours(0xfff0_0000),
    ]
  ) {
    expectStatus(
      `stat on ${h}`,
      lib.opendal_operator_stat(
        h,
        path,
        path.length,
        queue,
        0,
        out,
        out.length,
      ),
      CONFIG_INVALID,
      out,
      "operator",
    );
    expectStatus(
      `stat on queue ${h}`,
      lib.opendal_operator_stat(op, path, path.length, h, 0, out, out.length),
      CONFIG_INVALID,
      out,
      "queue",
    );
    expectStatus(
      `reader ${h}`,
      lib.opendal_reader_read(h, 0, 1, queue, 0, out, out.length),
      CONFIG_INVALID,
      out,
      "reader",
    );
    expectStatus(
      `writer ${h}`,
      lib.opendal_writer_close(h, queue, 0, out, out.length),
      CONFIG_INVALID,
      out,
      "writer",
    );
    expectStatus(
      `lister ${h}`,
      lib.opendal_lister_next(h, U32_MAX, queue, 0, out, out.length),
      CONFIG_INVALID,
      out,
      "lister",
    );
    expectStatus(
      `layer ${h}`,
      lib.opendal_operator_layer(op, h, queue, 0, out, out.length),
      CONFIG_INVALID,
      out,
      "layer",
    );
    assert.equal(lib.opendal_close(h), CONFIG_INVALID);
    assert.equal(lib.opendal_queue_cancel(h, 1), CONFIG_INVALID);
    assert.equal(lib.opendal_queue_take(h, 1, out, 4), CONFIG_INVALID);
    lib.opendal_queue_release(h, U32_MAX);
    assert.equal(
      await lib.opendal_queue_wait(h, out, 16, -1),
      CLOSED,
      "a bad queue never blocks",
    );
  }
  // Same slot and generation as a live operator, another instance's tag.
  expectStatus(
    "another instance's operator",
    lib.opendal_operator_stat(
      foreign,
      path,
      path.length,
      queue,
      0,
      out,
      out.length,
    ),
    CONFIG_INVALID,
    out,
    "not made by this copy of the native library",
  );
  expectStatus(
    "layer kind",
    lib.opendal_layer_new(U32_MAX, null, 0, queue, 0, out, out.length),
    CONFIG_INVALID,
    out,
    "layer kind",
  );
  const expire = new Uint8Array(8);
  new DataView(expire.buffer).setFloat64(0, 60, true);
  const presign = new Uint8Array([
    ...field(TAG_PATH, "file"),
    ...field(TAG_EXPIRE, expire),
  ]);
  expectStatus(
    "presign kind",
    lib.opendal_operator_presign(
      op,
      U32_MAX,
      presign,
      presign.length,
      queue,
      0,
      out,
      out.length,
    ),
    CONFIG_INVALID,
    out,
    "presign kind",
  );
  // Ticket u32::MAX works like any other: the memory service finishes inline.
  const s = lib.opendal_operator_stat(
    op,
    path,
    path.length,
    queue,
    U32_MAX,
    out,
    out.length,
  );
  assert.ok(s === OK || s === PENDING, `stat on ticket u32::MAX: ${s}`);
  assert.equal(lib.opendal_queue_cancel(queue, U32_MAX), ErrorCode.NotFound);
  expectStatus(
    "outcome of an unknown ticket",
    lib.opendal_queue_outcome(queue, 12345, out, out.length),
    CONFIG_INVALID,
    out,
    "no finished outcome",
  );
  assert.equal(lib.opendal_log_pending(queue), 0);
  for (const h of [0, NaN, U32_MAX, foreign]) {
    assert.equal(lib.opendal_log_pending(h), 0);
    expectStatus(
      `log_drain on ${h}`,
      lib.opendal_log_drain(h, out, out.length),
      CONFIG_INVALID,
      out,
      "queue",
    );
  }
  assert.equal(typeof lib.opendal_handle_count(), "number");
  close();
});
