/**
 * `Writer`: writes an object in chunks, then commits it with `close()`.
 *
 * @module
 */

import { type SyncWriteData, toBytes } from "./data.ts";
import { NativeHandle } from "./handle.ts";
import { Metadata } from "./metadata.ts";
import { lib } from "./native.ts";
import type { SignalOptions } from "./options.ts";

const empty = (): undefined => undefined;
const metadata = (r: import("./codec.ts").RecordReader): Metadata =>
  new Metadata(r);

/**
 * Writes one object in chunks; `close()` commits it. On services that stage
 * uploads (object stores, or fs with `atomicWriteDir`), nothing is visible
 * before `close()` and `abort()` discards the upload; fs without
 * `atomicWriteDir` writes in place, so data shows as it is written and
 * `abort()` fails with `Unsupported`. Disposing a writer that is still open
 * commits it, as closing a file does (call `abort()` first to discard),
 * unless a write failed: then disposing discards, so leaving a `using` scope
 * by that error never commits a partial object.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 *
 * using op = new MemoryOperator();
 * const writer = await op.writer("log.txt");
 * await writer.write("first line\n");
 * await writer.write("second line\n");
 * const meta = await writer.close();
 * console.log(meta.contentLength); // 23
 * ```
 */
export class Writer implements Disposable, AsyncDisposable {
  readonly #handle: NativeHandle;
  #done = false;
  // A write failed: disposing discards instead of committing.
  #failed = false;
  /** The path this writer writes. */
  readonly path: string;

  /**
   * Wraps a native writer handle (internal: use `Operator.writer()`).
   *
   * @ignore
   */
  constructor(handle: number, path: string) {
    this.#handle = new NativeHandle(handle, "writer");
    this.path = path;
  }

  /** Appends `data`; it is copied before this returns, so reuse it freely. */
  async write(data: SyncWriteData, options?: SignalOptions): Promise<void> {
    const n = lib();
    // Awaited here, not watched with `.catch()`: a second handler on the
    // promise would cut the caller's frames from the error's stack.
    try {
      await n.async(
        (t) => {
          const bytes = toBytes(data);
          return n.sym.opendal_writer_write(
            this.#handle.value,
            bytes,
            bytes.byteLength,
            n.queue,
            t,
            n.outBuffer,
            n.out.length,
          );
        },
        empty,
        "write",
        this.path,
        options?.signal,
      );
    } catch (e) {
      this.#failed = true;
      throw e;
    }
  }

  /** Blocking `write`. */
  writeSync(data: SyncWriteData): void {
    const n = lib();
    const bytes = toBytes(data);
    const s = n.sym.opendal_writer_write(
      this.#handle.value,
      bytes,
      bytes.byteLength,
      n.queue,
      0,
      n.outBuffer,
      n.out.length,
    );
    try {
      n.sync(s, empty, "write", this.path);
    } catch (e) {
      this.#failed = true;
      throw e;
    }
  }

  /** Commits everything written and releases the writer. */
  async close(options?: SignalOptions): Promise<Metadata> {
    const n = lib();
    try {
      return await n.async(
        (t) =>
          n.sym.opendal_writer_close(
            this.#handle.value,
            n.queue,
            t,
            n.outBuffer,
            n.out.length,
          ),
        metadata,
        "close",
        this.path,
        options?.signal,
      );
    } finally {
      this.#release();
    }
  }

  /** Blocking `close`. */
  closeSync(): Metadata {
    const n = lib();
    try {
      const s = n.sym.opendal_writer_close(
        this.#handle.value,
        n.queue,
        0,
        n.outBuffer,
        n.out.length,
      );
      return n.sync(s, metadata, "close", this.path);
    } finally {
      this.#release();
    }
  }

  /** Discards everything written and releases the writer. */
  async abort(options?: SignalOptions): Promise<void> {
    const n = lib();
    try {
      await n.async(
        (t) =>
          n.sym.opendal_writer_abort(
            this.#handle.value,
            n.queue,
            t,
            n.outBuffer,
            n.out.length,
          ),
        empty,
        "abort",
        this.path,
        options?.signal,
      );
    } finally {
      this.#release();
    }
  }

  /** Blocking `abort`. */
  abortSync(): void {
    const n = lib();
    try {
      const s = n.sym.opendal_writer_abort(
        this.#handle.value,
        n.queue,
        0,
        n.outBuffer,
        n.out.length,
      );
      n.sync(s, empty, "abort", this.path);
    } finally {
      this.#release();
    }
  }

  #release(): void {
    this.#done = true;
    this.#handle.close();
  }

  /**
   * A stream that writes each chunk; closing the stream commits, aborting
   * it discards.
   */
  get writable(): WritableStream<SyncWriteData> {
    return new WritableStream({
      write: (chunk) => this.write(chunk),
      close: async () => {
        await this.close();
      },
      abort: () => this.abort(),
    });
  }

  /** Commits if still open, or discards after a failed write (see the class notes). */
  [Symbol.dispose](): void {
    if (this.#done) return;
    if (!this.#failed) return void this.closeSync();
    // Best effort: the write's own error is the one the caller sees, and
    // abort() releases the writer even when it fails.
    try {
      this.abortSync();
    } catch { /* see above */ }
  }

  /** Commits if still open, or discards after a failed write (see the class notes). */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#done) return;
    if (!this.#failed) return void await this.close();
    await this.abort().catch(() => {});
  }
}
