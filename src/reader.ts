/**
 * `Reader`: random-access range reads and a byte stream over one object.
 *
 * @module
 */

import type { RecordReader } from "./codec.ts";
import { NativeHandle } from "./handle.ts";
import { invalidArgument } from "./errors.ts";
import { lib } from "./native.ts";
import type { SignalOptions } from "./options.ts";

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
const DEFAULT_CHUNK = 256 * 1024;

/** Options of `Reader.readable`. */
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
    const n = lib();
    return n.async(
      (t) =>
        n.sym.opendal_reader_read(
          this.#handle.value,
          offset,
          lengthArg(length),
          n.queue,
          t,
          n.outBuffer,
          n.out.length,
        ),
      (r, t) => n.bytes(r, t),
      "read",
      this.path,
      options?.signal,
    );
  }

  /** Blocking `read`. */
  readSync(offset: number, length?: number): Uint8Array<ArrayBuffer> {
    const n = lib();
    const s = n.sym.opendal_reader_read(
      this.#handle.value,
      offset,
      lengthArg(length),
      n.queue,
      0,
      n.outBuffer,
      n.out.length,
    );
    return n.sync(s, (r, t) => n.bytes(r, t), "read", this.path);
  }

  /** Reads into `view` at `offset`; resolves to how many bytes it filled. */
  #readInto(offset: number, view: Uint8Array<ArrayBuffer>): Promise<number> {
    const n = lib();
    const fill = (r: RecordReader, t: number): number =>
      n.bytesInto(r, t, view);
    return n.async(
      (t) =>
        n.sym.opendal_reader_read(
          this.#handle.value,
          offset,
          view.byteLength,
          n.queue,
          t,
          n.outBuffer,
          n.out.length,
        ),
      fill,
      "read",
      this.path,
    );
  }

  /**
   * A byte stream of the object (or of `offset`..`offset + length`). It is a
   * `"bytes"` stream: BYOB readers get their own buffers filled directly.
   * Each access makes a new stream.
   */
  get readable(): ReadableStream<Uint8Array<ArrayBuffer>> {
    return this.stream();
  }

  /** A byte stream over part of the object; see `readable`. */
  stream(
    options: ReadableOptions = {},
  ): ReadableStream<Uint8Array<ArrayBuffer>> {
    let position = options.offset ?? 0;
    const end = options.length === undefined
      ? Infinity
      : position + options.length;
    const chunk = this.#chunk;
    return new ReadableStream({
      type: "bytes",
      autoAllocateChunkSize: chunk,
      pull: async (controller) => {
        const request = controller.byobRequest!;
        const view = request.view as Uint8Array<ArrayBuffer>;
        const want = Math.min(view.byteLength, end - position);
        const filled = want > 0
          ? await this.#readInto(position, view.subarray(0, want))
          : 0;
        position += filled;
        if (filled === 0) {
          controller.close();
          request.respond(0);
          return;
        }
        request.respond(filled);
        if (filled < want || position >= end) controller.close();
      },
    });
  }

  /** Releases the native reader. */
  close(): void {
    this.#handle.close();
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
}
