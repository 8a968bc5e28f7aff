/**
 * The bytes of every object the S3 client benchmark writes or reads, and
 * their checks. Every object is a window of one pseudo-random pattern,
 * shifted by a per-object tag, so any object's bytes are known without
 * storing them, and two objects with different tags differ: a client that
 * returns the wrong object, a truncated one, or stale bytes fails the check.
 *
 * @module
 */

import { Buffer } from "node:buffer";

const MiB = 1024 * 1024;
/** The pattern repeats every PERIOD bytes (7 MiB: no part or chunk size divides it). */
const PERIOD = 7 * MiB;
/** Longest window handed out without a copy (`chunkAt`). */
const MAX_WINDOW = MiB;

/** PERIOD pseudo-random bytes, then its first MAX_WINDOW again. */
const pattern: Uint8Array<ArrayBuffer> = (() => {
  const p = new Uint8Array(PERIOD + MAX_WINDOW);
  const words = new Uint32Array(p.buffer, 0, PERIOD / 4);
  let x = 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    // xorshift32: fast, deterministic, no byte pattern a codec could shrink.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  p.copyWithin(PERIOD, 0, MAX_WINDOW);
  return p;
})();

/** Where object `tag`'s byte 0 sits in the pattern. */
function start(tag: number): number {
  return (tag * 4099) % PERIOD;
}

/** A fresh copy of object `tag`'s `size` bytes (what a caller writes). */
export function payload(tag: number, size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let at = 0;
  let from = start(tag);
  while (at < size) {
    const n = Math.min(size - at, PERIOD - from);
    out.set(pattern.subarray(from, from + n), at);
    at += n;
    from = 0;
  }
  return out;
}

/**
 * Object `tag`'s bytes from `offset`, at most 1 MiB, without a copy (a view
 * of the shared pattern: callers must not write to it).
 */
export function chunkAt(
  tag: number,
  offset: number,
  length: number,
): Uint8Array<ArrayBuffer> {
  if (length > MAX_WINDOW) throw new RangeError("chunks are at most 1 MiB");
  const from = (start(tag) + offset) % PERIOD;
  return pattern.subarray(from, from + length);
}

/** Object `tag`'s `size` bytes as 1 MiB chunks (the last may be shorter). */
export function* chunks(
  tag: number,
  size: number,
): Generator<Uint8Array<ArrayBuffer>> {
  for (let at = 0; at < size; at += MAX_WINDOW) {
    yield chunkAt(tag, at, Math.min(MAX_WINDOW, size - at));
  }
}

/**
 * Checks a stream of bytes against object `tag`, chunk by chunk, with
 * `memcmp` (`Buffer.compare`), so checking costs far less than receiving.
 */
export class Verifier {
  #offset = 0;
  #bad: string | undefined;

  constructor(readonly tag: number, readonly size: number) {}

  /** Checks the next bytes received. */
  update(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length && this.#bad === undefined) {
      if (this.#offset >= this.size) {
        this.#bad = `more than ${this.size} bytes`;
        return;
      }
      const n = Math.min(
        bytes.length - at,
        MAX_WINDOW,
        this.size - this.#offset,
      );
      const want = chunkAt(this.tag, this.#offset, n);
      const got = bytes.subarray(at, at + n);
      if (Buffer.compare(got, want) !== 0) {
        this.#bad = `bytes differ in [${this.#offset}, ${this.#offset + n})`;
      }
      at += n;
      this.#offset += n;
    }
  }

  /** Throws unless exactly the object's bytes were seen. */
  done(what: string): void {
    if (this.#bad === undefined && this.#offset !== this.size) {
      this.#bad = `${this.#offset} bytes, not ${this.size}`;
    }
    if (this.#bad !== undefined) {
      throw new Error(`${what}: wrong content: ${this.#bad}`);
    }
  }
}

/** Throws unless `bytes` are exactly object `tag` of `size` bytes. */
export function verify(
  bytes: Uint8Array,
  tag: number,
  size: number,
  what: string,
): void {
  const v = new Verifier(tag, size);
  v.update(bytes);
  v.done(what);
}
