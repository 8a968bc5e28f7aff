/**
 * `Reader`: random-access range reads and a byte stream over one object.
 *
 * @module
 */

import * as calls from "./_ffi/calls.ts";
import { NativeHandle } from "./handle.ts";
import { invalidArgument } from "./errors.ts";
import { lib } from "./_ffi/native.ts";
import { bytes, bytesInto } from "./_ffi/records.ts";
import type { SignalOptions } from "./options.ts";
import { byteStream, type Range, rangeOf } from "./byte_stream.ts";

/** The native offset argument that asks for the last `length` bytes. */
const SUFFIX = -1;

/** The native offset argument: never the suffix marker (the rest is checked natively). */
function offsetArg(offset: number): number {
  if (offset === SUFFIX) {
    throw invalidArgument("offset must be a non-negative integer, got -1");
  }
  return offset;
}

/** The length of a suffix read: required, never the "to the end" marker. */
function suffixArg(length: number | undefined): number {
  if (length === undefined || length === -1) {
    throw invalidArgument(
      `length must be a non-negative integer, got ${length}`,
    );
  }
  return length;
}

/** The native length argument: -1 reads to the end. */
function lengthArg(length: number | undefined): number {
  if (length === undefined) return -1;
  if (!Number.isInteger(length) || length < 0) {
    throw invalidArgument(
      `length must be a non-negative integer, got ${length}`,
    );
  }
  return length;
}

/** Default size of each `readable` chunk. */
export const DEFAULT_CHUNK = 256 * 1024;

// `Reader`'s `#readInto`, for `readableOf` (private names are reachable only
// inside the class body, so a static block hands this one out).
let readInto: (
  reader: Reader,
  offset: number,
  view: Uint8Array<ArrayBuffer>,
  signal?: AbortSignal,
) => Promise<number>;

/** Options of `Reader.stream`. */
export interface ReadableOptions {
  /** First byte of the stream (default 0). */
  offset?: number;
  /** How many bytes to stream (default: to the end). */
  length?: number;
}

/**
 * Reads one object by ranges. Get one from `Operator.reader()`; release it
 * with `close()` or `using`.
 *
 * Its streams keep it open: `close()` (or leaving a `using` scope) releases
 * the native reader once no stream of it is still running, and `readable`
 * owns the reader outright, releasing it at the end of the data, on
 * `cancel()` and on error, as `Deno.FsFile.readable` closes its file. So
 * `return new Response(reader.readable)` is safe inside a `using` scope.
 *
 * Reads that follow one another (a stream's chunks, or `read` calls each
 * starting where the last ended) continue one open response from the
 * second read on, instead of a request each; other services than fs keep
 * it until the reader is released, except under a `ConcurrentLimitLayer`,
 * where an idle response would hold a permit.
 *
 * @example Random access and streaming
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 *
 * using op = new MemoryOperator();
 * await op.write("data.bin", new Uint8Array([1, 2, 3, 4, 5]));
 * using reader = await op.reader("data.bin");
 * console.log(await reader.read(1, 2)); // Uint8Array(2) [ 2, 3 ]
 * for await (const chunk of reader.readable) console.log(chunk.length); // 5
 * ```
 */
export class Reader implements Disposable, AsyncDisposable {
  readonly #handle: NativeHandle;
  readonly #chunk: number;
  // Streams of this reader still running: they keep it open.
  #streams = 0;
  // `close()` was called, or `readable` taken: release once no stream runs.
  #closing = false;
  #readable: ReadableStream<Uint8Array<ArrayBuffer>> | undefined;
  /** The path this reader reads. */
  readonly path: string;

  /**
   * Wraps a native reader handle (internal: use `Operator.reader()`).
   *
   * @ignore
   */
  constructor(handle: number, path: string, chunk?: number) {
    this.#handle = new NativeHandle(handle, "reader");
    this.path = path;
    this.#chunk = chunk ?? DEFAULT_CHUNK;
  }

  /**
   * Reads up to `length` bytes at `offset` (to the end when `length` is
   * omitted). Past the end, it returns what exists.
   */
  read(
    offset: number,
    length?: number,
    options?: SignalOptions,
  ): Promise<Uint8Array<ArrayBuffer>> {
    return this.#read(false, offset, length, options);
  }

  /** Reads `length` at `offset`, or the last `length` bytes when `suffix`. */
  #read(
    suffix: boolean,
    offset: number,
    length: number | undefined,
    options?: SignalOptions,
  ): Promise<Uint8Array<ArrayBuffer>> {
    const n = lib();
    return n.async(
      (t) =>
        calls.readerRead(
          n,
          this.#handle.value,
          suffix ? SUFFIX : offsetArg(offset),
          suffix ? suffixArg(length) : lengthArg(length),
          t,
        ),
      bytes,
      "read",
      this.path,
      options?.signal,
    );
  }

  /**
   * Reads the last `length` bytes (all of them when the object is shorter),
   * where the capability has `readWithSuffix`; else `Unsupported`.
   *
   * @example The trailer of a file
   * ```ts
   * import { MemoryOperator } from "@opendal/core/services/memory";
   *
   * using op = new MemoryOperator();
   * await op.write("a.txt", "header...trailer");
   * using r = await op.reader("a.txt");
   * console.log(new TextDecoder().decode(await r.readSuffix(7))); // trailer
   * ```
   */
  readSuffix(
    length: number,
    options?: SignalOptions,
  ): Promise<Uint8Array<ArrayBuffer>> {
    return this.#read(true, 0, length, options);
  }

  /** Blocking `readSuffix`. */
  readSuffixSync(length: number): Uint8Array<ArrayBuffer> {
    return this.#readSync(SUFFIX, suffixArg(length));
  }

  /** Blocking `read`. */
  readSync(offset: number, length?: number): Uint8Array<ArrayBuffer> {
    return this.#readSync(offsetArg(offset), lengthArg(length));
  }

  #readSync(offset: number, length: number): Uint8Array<ArrayBuffer> {
    const n = lib();
    const s = calls.readerRead(
      n,
      this.#handle.value,
      offset,
      length,
      0,
    );
    return n.sync(s, bytes, "read", this.path);
  }

  /** Reads into `view` at `offset`; resolves to how many bytes it filled. */
  #readInto(
    offset: number,
    view: Uint8Array<ArrayBuffer>,
    signal?: AbortSignal,
  ): Promise<number> {
    const n = lib();
    return n.async(
      (t) =>
        calls.readerRead(n, this.#handle.value, offset, view.byteLength, t),
      (r, t) => bytesInto(r, t, view),
      "read",
      this.path,
      signal,
    );
  }

  /**
   * The whole object as a byte stream, the same stream at every access. It
   * owns the reader from the moment it is taken: the end of the data,
   * `cancel()` and an error each release the native reader at once, and
   * `close()` or disposing the reader does not interrupt it. It is a
   * `"bytes"` stream: BYOB readers get their own buffers filled directly.
   */
  get readable(): ReadableStream<Uint8Array<ArrayBuffer>> {
    if (!this.#readable) {
      this.#readable = this.#stream({ offset: 0 });
      this.#closing = true;
    }
    return this.#readable;
  }

  /**
   * A byte stream over `offset`..`offset + length` (each call a new one).
   * The reader stays open for other reads and streams; once `close()` was
   * called, it is released when its last stream ends.
   */
  stream(
    options: ReadableOptions = {},
  ): ReadableStream<Uint8Array<ArrayBuffer>> {
    return this.#stream(rangeOf(options));
  }

  #stream(
    range: Range,
    signal?: AbortSignal,
  ): ReadableStream<Uint8Array<ArrayBuffer>> {
    this.#handle.value; // A closed reader throws here, not at the first read.
    this.#streams++;
    return byteStream({
      chunk: this.#chunk,
      range,
      signal,
      readInto: (offset, view) => this.#readInto(offset, view, signal),
      release: () => {
        this.#streams--;
        this.#releaseIfDone();
      },
    });
  }

  /**
   * Releases the native reader, at once or, while streams of it are still
   * running, when the last one ends.
   */
  close(): void {
    this.#closing = true;
    this.#releaseIfDone();
  }

  #releaseIfDone(): void {
    if (this.#closing && this.#streams === 0) this.#handle.close();
  }

  /** Same as `close()`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Same as `close()`. */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }

  static {
    readInto = (reader, offset, view, signal) =>
      reader.#readInto(offset, view, signal);
  }
}

/**
 * A stream of `range` from the reader `open` makes at the first read, which
 * the stream owns: it is released when the stream ends, is cancelled, fails
 * or its `signal` aborts (for `Operator.readable`).
 */
export function readableOf(
  open: () => Promise<Reader>,
  chunk: number,
  range: Range,
  signal?: AbortSignal,
  start?: () => Promise<number>,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  let reader: Promise<Reader> | undefined;
  // Where offset 0 of `range` is in the object: found once, when it opens.
  let base: Promise<number> | undefined;
  return byteStream({
    chunk,
    range,
    signal,
    readInto: async (offset, view) => {
      reader ??= open();
      const at = start ? await (base ??= start()) : 0;
      return readInto(await reader, at + offset, view, signal);
    },
    // An open still on its way is closed as soon as it lands.
    release: () => void reader?.then((r) => r.close(), () => {}),
  });
}
