/**
 * The byte formats that cross the FFI boundary: call inputs (tagged fields)
 * and result records. Mirrors `rust/src/input.rs` and `rust/src/output.rs`;
 * the tags are generated from `rust/src/abi.rs`.
 *
 * @module
 */

import { invalidArgument } from "../errors.ts";

export { Tag } from "./abi.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Strings up to this many bytes (paths, names, etags) decode faster in
 * JavaScript than through `TextDecoder`, whose call has a fixed cost of
 * about 0.3 µs.
 */
const SHORT_TEXT = 64;

/** Decodes `bytes[start, end)`, in JavaScript while it is ASCII. */
function shortText(bytes: Uint8Array, start: number, end: number): string {
  let text = "";
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c >= 0x80) return decoder.decode(bytes.subarray(start, end));
    text += String.fromCharCode(c);
  }
  return text;
}

/** Builds one call input into a reused buffer. */
export class InputWriter {
  /** The bytes written so far start at 0 and end at `length`. */
  bytes: Uint8Array<ArrayBuffer>;
  /** `bytes`' whole buffer: FFI calls take an `ArrayBuffer` faster than a view. */
  buffer: ArrayBuffer;
  #view: DataView<ArrayBuffer>;
  /** How many bytes are written. */
  length = 0;

  constructor(size = 4096) {
    this.bytes = new Uint8Array(size);
    this.buffer = this.bytes.buffer;
    this.#view = new DataView(this.buffer);
  }

  /** Starts a new input. */
  reset(): this {
    this.length = 0;
    return this;
  }

  #reserve(n: number): void {
    this.#reserveTo(this.length + n);
  }

  /** Room up to byte `end`, keeping what is written. */
  #reserveTo(end: number): void {
    if (end <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(this.bytes.length * 2, end));
    bigger.set(this.bytes.subarray(0, this.length));
    this.bytes = bigger;
    this.buffer = bigger.buffer;
    this.#view = new DataView(bigger.buffer);
  }

  #header(tag: number, len: number): void {
    this.bytes[this.length] = tag;
    this.#view.setUint32(this.length + 1, len, true);
    this.length += 5;
  }

  /** A UTF-8 string field. `what` names it in errors. */
  string(tag: number, value: string, what: string): this {
    const start = this.length;
    const end = this.#utf8(value, what, start + 5);
    this.#header(tag, end - start - 5);
    this.length = end;
    return this;
  }

  /**
   * A new input that is `value` alone, as UTF-8 (for exports that take one
   * text, `Param::Text` in `rust/src/abi.rs`). `what` names it in errors.
   */
  text(value: string, what: string): this {
    this.reset().length = this.#utf8(value, what, 0);
    return this;
  }

  /** Writes `value` as UTF-8 from `at` (after room for it); returns its end. */
  #utf8(value: string, what: string, at: number): number {
    if (typeof value !== "string") {
      throw invalidArgument(`${what} must be a string, got ${typeof value}`);
    }
    this.#reserveTo(at + value.length * 3);
    const b = this.bytes;
    let p = at;
    const n = value.length;
    let i = 0;
    // Paths are mostly ASCII: copy those directly, no encoder call.
    for (; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) break;
      b[p++] = c;
    }
    if (i < n) {
      if (!value.isWellFormed()) {
        throw invalidArgument(
          `${what} contains a lone UTF-16 surrogate, which has no UTF-8 form`,
        );
      }
      p += encoder.encodeInto(value.slice(i), b.subarray(p)).written;
    }
    return p;
  }

  /** A number field (sizes, offsets, milliseconds); checked natively. */
  number(tag: number, value: number, what: string): this {
    if (typeof value !== "number") {
      throw invalidArgument(`${what} must be a number, got ${typeof value}`);
    }
    this.#reserve(13);
    this.#header(tag, 8);
    this.#view.setFloat64(this.length, value, true);
    this.length += 8;
    return this;
  }

  /** A number field when `value` is set (an optional option). */
  optionalNumber(tag: number, value: number | undefined, what: string): this {
    return value === undefined ? this : this.number(tag, value, what);
  }

  /** A boolean field. */
  boolean(tag: number, value: boolean, what: string): this {
    if (typeof value !== "boolean") {
      throw invalidArgument(`${what} must be a boolean, got ${typeof value}`);
    }
    this.#reserve(6);
    this.#header(tag, 1);
    this.bytes[this.length++] = value ? 1 : 0;
    return this;
  }

  /** A key/value pair field. */
  pair(tag: number, key: string, value: string, what: string): this {
    if (typeof key !== "string" || typeof value !== "string") {
      throw invalidArgument(`${what} keys and values must be strings`);
    }
    const k = encodeChecked(key, what);
    const v = encodeChecked(value, what);
    this.#reserve(9 + k.length + v.length);
    this.#header(tag, 4 + k.length + v.length);
    this.#view.setUint32(this.length, k.length, true);
    this.bytes.set(k, this.length + 4);
    this.bytes.set(v, this.length + 4 + k.length);
    this.length += 4 + k.length + v.length;
    return this;
  }
}

function encodeChecked(s: string, what: string): Uint8Array {
  if (!s.isWellFormed()) {
    throw invalidArgument(`${what} contains a lone UTF-16 surrogate`);
  }
  return encoder.encode(s);
}

/** Reads a result record. */
export class RecordReader {
  #bytes: Uint8Array = new Uint8Array(0);
  #view: DataView = new DataView(new ArrayBuffer(0));
  /** The read position. */
  pos = 0;

  /** Points the reader at the start of `bytes`. */
  at(bytes: Uint8Array, view?: DataView): this {
    this.#bytes = bytes;
    this.#view = view ??
      new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = 0;
    return this;
  }

  u8(): number {
    return this.#bytes[this.pos++];
  }

  u32(): number {
    const v = this.#view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  f64(): number {
    const v = this.#view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A string, or `undefined` when absent. */
  str(): string | undefined {
    const len = this.u32();
    if (len === 0xffffffff) return undefined;
    const start = this.pos;
    this.pos += len;
    return len <= SHORT_TEXT
      ? shortText(this.#bytes, start, this.pos)
      : decoder.decode(this.#bytes.subarray(start, this.pos));
  }

  /** A string that is always present. */
  text(): string {
    return this.str() ?? "";
  }

  /** The next `len` bytes, without copying them. */
  view(len: number): Uint8Array {
    const start = this.pos;
    this.pos += len;
    return this.#bytes.subarray(start, this.pos);
  }

  /** A copy of the next `len` bytes, in memory of its own (one allocation). */
  copy(len: number): Uint8Array<ArrayBuffer> {
    const start = this.pos;
    this.pos += len;
    return this.#bytes.slice(start, this.pos);
  }
}
