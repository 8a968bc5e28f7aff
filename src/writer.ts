/**
 * `Writer`: writes an object in chunks; only `close()` commits it.
 *
 * @module
 */

import * as calls from "./_ffi/calls.ts";
import { type SyncWriteData, toBytes } from "./data.ts";
import { NativeHandle } from "./handle.ts";
import { abortError } from "./errors.ts";
import { Metadata } from "./metadata.ts";
import { lib } from "./_ffi/native.ts";
import type { SignalOptions } from "./options.ts";
import { checkSignal, listen, unlisten } from "./signal.ts";

const empty = (): undefined => undefined;
const metadata = (r: import("./_ffi/codec.ts").RecordReader): Metadata =>
  new Metadata(r);

// Writers on a local disk still open when the process exits through
// `Deno.exit()` or the end of the script: aborted on "unload", so their
// staged files go with them. Weak, so a dropped writer can still be
// collected (and is then aborted by the native side).
const openOnDisk = new Set<WeakRef<Writer>>();
const forget = new FinalizationRegistry<WeakRef<Writer>>((ref) =>
  openOnDisk.delete(ref)
);
globalThis.addEventListener?.("unload", () => {
  for (const ref of openOnDisk) {
    try {
      ref.deref()?.abortSync();
    } catch { /* exiting: nothing to tell */ }
  }
});

/**
 * Writes one object in chunks. **Only `close()` commits**: until then nothing
 * is visible at the path, and `abort()`, disposing an unclosed writer
 * (`using`, `await using`, also when an exception leaves the scope) or
 * dropping it discards everything written, as a transaction or a web
 * `WritableStream` does. So a writer that did not finish never leaves a
 * partial object.
 *
 * Services that stage uploads (object stores) discard the staged upload. On
 * fs the writer writes a staged file beside the target,
 * `.<name>.<random>.opendal-partial`, renamed over the target by `close()`
 * and deleted by `abort()`; a writer still open when the process exits
 * through `Deno.exit()` or the end of the script is aborted. Only a crash or
 * a kill can leave a staged file behind: those names are safe to delete. An
 * fs writer with `append` writes in place; aborting it cuts the file back to
 * its length at open.
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
 *
 * @example An exception before `close()` commits nothing
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 *
 * using op = new MemoryOperator();
 * try {
 *   await using writer = await op.writer("report.csv");
 *   await writer.write("a,b\n");
 *   throw new Error("the data source failed");
 * } catch {
 *   console.log(await op.exists("report.csv")); // false
 * }
 * ```
 */
export class Writer implements Disposable, AsyncDisposable {
  readonly #handle: NativeHandle;
  #done = false;
  #writable: WritableStream<SyncWriteData> | undefined;
  readonly #onDisk: WeakRef<Writer> | undefined;
  /** The path this writer writes. */
  readonly path: string;

  /**
   * Wraps a native writer handle (internal: use `Operator.writer()`);
   * `onDisk` marks a writer to abort when the process exits.
   *
   * @ignore
   */
  constructor(handle: number, path: string, onDisk = false) {
    this.#handle = new NativeHandle(handle, "writer");
    this.path = path;
    if (onDisk) {
      this.#onDisk = new WeakRef(this);
      openOnDisk.add(this.#onDisk);
      forget.register(this, this.#onDisk, this.#onDisk);
    }
  }

  /** Appends `data`; it is copied before this returns, so reuse it freely. */
  async write(data: SyncWriteData, options?: SignalOptions): Promise<void> {
    const n = lib();
    return await n.async(
      (t) => {
        const bytes = toBytes(data);
        return calls.writerWrite(n, this.#handle.value, bytes, t);
      },
      empty,
      "write",
      this.path,
      options?.signal,
    );
  }

  /** Blocking `write`. */
  writeSync(data: SyncWriteData): void {
    const n = lib();
    const bytes = toBytes(data);
    const s = calls.writerWrite(n, this.#handle.value, bytes, 0);
    n.sync(s, empty, "write", this.path);
  }

  /**
   * Commits everything written and releases the writer. If it fails,
   * nothing is committed.
   */
  async close(options?: SignalOptions): Promise<Metadata> {
    checkSignal(options?.signal); // a bad argument must not end the writer
    const n = lib();
    try {
      return await n.async(
        (t) => calls.writerClose(n, this.#handle.value, t),
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
      const s = calls.writerClose(n, this.#handle.value, 0);
      return n.sync(s, metadata, "close", this.path);
    } finally {
      this.#release();
    }
  }

  /** Discards everything written and releases the writer. */
  async abort(options?: SignalOptions): Promise<void> {
    checkSignal(options?.signal); // a bad argument must not end the writer
    const n = lib();
    try {
      await n.async(
        (t) => calls.writerAbort(n, this.#handle.value, t),
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
      const s = calls.writerAbort(n, this.#handle.value, 0);
      n.sync(s, empty, "abort", this.path);
    } finally {
      this.#release();
    }
  }

  #release(): void {
    this.#done = true;
    this.#handle.close();
    if (this.#onDisk) {
      openOnDisk.delete(this.#onDisk);
      forget.unregister(this.#onDisk);
    }
  }

  /**
   * A stream that writes each chunk, the same stream at every access:
   * closing it commits, aborting it (or a failed write) discards.
   */
  get writable(): WritableStream<SyncWriteData> {
    return this.#writable ??= new WritableStream({
      write: async (chunk) => {
        try {
          await this.write(chunk);
        } catch (e) {
          // An errored stream never calls `abort`: discard here.
          await this.abort().catch(() => {});
          throw e;
        }
      },
      close: async () => {
        await this.close();
      },
      abort: () => this.abort(),
    });
  }

  /**
   * Aborts the writer if it is still open: leaving a `using` scope without
   * `close()` commits nothing. An abort that fails is not reported here
   * (nothing was committed either way).
   */
  [Symbol.dispose](): void {
    if (this.#done) return;
    try {
      this.abortSync();
    } catch { /* see above */ }
  }

  /** Same as `[Symbol.dispose]`, without blocking. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#done) return;
    await this.abort().catch(() => {});
  }
}

/**
 * A stream that writes to the writer `open` makes at the first write (or at
 * `close()`, for an empty object), which it owns: closing the stream commits,
 * aborting it, a failed write or an aborted `signal` discards (for
 * `Operator.writable`).
 */
export function writableOf(
  open: () => Promise<Writer>,
  signal?: AbortSignal,
): WritableStream<SyncWriteData> {
  let writer: Promise<Writer> | undefined;
  let onAbort: (() => void) | undefined;
  const discard = async (): Promise<void> => {
    if (onAbort) unlisten(signal!, onAbort);
    await writer?.then((w) => w.abort(), () => {}).catch(() => {});
  };
  return new WritableStream<SyncWriteData>({
    start(controller) {
      if (!signal) return;
      onAbort = () => {
        controller.error(abortError(signal));
        void discard();
      };
      listen(signal, onAbort);
    },
    write: async (chunk) => {
      try {
        await (await (writer ??= open())).write(chunk, { signal });
      } catch (e) {
        await discard();
        throw e;
      }
    },
    close: async () => {
      if (onAbort) unlisten(signal!, onAbort);
      await (await (writer ??= open())).close({ signal });
    },
    abort: discard,
  });
}
