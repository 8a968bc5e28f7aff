/**
 * `Copier`: a copy on the service, driven one step at a time, so the
 * caller sees its progress.
 *
 * @module
 */

import * as calls from "./_ffi/calls.ts";
import { lib } from "./_ffi/native.ts";
import { copyStep, empty, metadata } from "./_ffi/records.ts";
import { NativeHandle } from "./handle.ts";
import type { Subject } from "./failure.ts";
import type { Metadata } from "./metadata.ts";
import type { SignalOptions } from "./options.ts";
import { checkSignal } from "./signal.ts";

/** One step of a copy, as `Copier` iterates and `copy`'s `onProgress` gets. */
export interface CopyProgress {
  /** Bytes this step copied. */
  bytes: number;
  /** Bytes copied so far, this step included. */
  copied: number;
}

/**
 * A copy of one file to another on the same service, driven a step at a
 * time: each `next()` runs one step and resolves to the bytes it copied, or
 * `null` once the copy is complete. Services that copy in parts (S3's
 * multipart copy, Azure Blob's block copy, with the `chunk` option) take one
 * step per part; the others copy in one request and report no steps.
 * Nothing is visible at the target until the copy is complete.
 *
 * A copier released before it completes (`using`, `await using`, or
 * dropped) is aborted in the background: parts already copied are
 * discarded where the service stages them. `abort()` does it at once.
 * `Operator.copy(from, to, { onProgress })` does all of this for you.
 *
 * @example Drive a copy step by step
 * ```ts
 * import { FsOperator } from "@opendal/core/services/fs";
 *
 * using op = new FsOperator({ root: await Deno.makeTempDir() });
 * await op.write("big.bin", new Uint8Array(1024));
 * await using copier = await op.copier("big.bin", "copy.bin");
 * for await (const step of copier) {
 *   console.log(`${step.copied} bytes copied`); // none on fs: one request
 * }
 * await copier.close();
 * console.log(await op.exists("copy.bin")); // true
 * ```
 */
export class Copier implements Disposable, AsyncDisposable {
  readonly #handle: NativeHandle;
  readonly #subject: Subject | undefined;
  #copied = 0;

  /**
   * Wraps a native copier handle (internal: use `Operator.copier()`).
   *
   * @ignore
   */
  constructor(handle: number, subject?: Subject) {
    this.#handle = new NativeHandle(handle, "copier");
    this.#subject = subject;
  }

  /** Bytes copied so far. */
  get copied(): number {
    return this.#copied;
  }

  /**
   * Runs the next step: resolves to the bytes it copied, or `null` once the
   * copy is complete (the step that completes it commits it).
   */
  async next(options?: SignalOptions): Promise<number | null> {
    const n = lib();
    const bytes = await n.async(
      (t) => calls.copierNext(n, this.#handle.value, t),
      copyStep,
      "copy",
      this.#subject,
      options?.signal,
    );
    if (bytes !== null) this.#copied += bytes;
    return bytes;
  }

  /** Blocking `next`. */
  nextSync(): number | null {
    const n = lib();
    const s = calls.copierNext(n, this.#handle.value, 0);
    const bytes = n.sync(s, copyStep, "copy", this.#subject);
    if (bytes !== null) this.#copied += bytes;
    return bytes;
  }

  /** Every step still to run, as progress events, until the copy is complete. */
  async *[Symbol.asyncIterator](): AsyncGenerator<CopyProgress, void> {
    for (let bytes; (bytes = await this.next()) !== null;) {
      yield { bytes, copied: this.#copied };
    }
  }

  /** Blocking `[Symbol.asyncIterator]`. */
  *[Symbol.iterator](): Generator<CopyProgress, void> {
    for (let bytes; (bytes = this.nextSync()) !== null;) {
      yield { bytes, copied: this.#copied };
    }
  }

  /**
   * Runs what is left of the copy, commits it and releases the copier.
   * Resolves to what the service returned for the target (often only
   * partly known: `stat` it for the rest).
   */
  async close(options?: SignalOptions): Promise<Metadata> {
    checkSignal(options?.signal); // a bad argument must not end the copier
    const n = lib();
    try {
      return await n.async(
        (t) => calls.copierClose(n, this.#handle.value, t),
        metadata,
        "copy",
        undefined,
        options?.signal,
      );
    } finally {
      this.#handle.close();
    }
  }

  /** Blocking `close`. */
  closeSync(): Metadata {
    const n = lib();
    try {
      const s = calls.copierClose(n, this.#handle.value, 0);
      return n.sync(s, metadata, "copy", this.#subject);
    } finally {
      this.#handle.close();
    }
  }

  /** Abandons the copy (nothing is committed) and releases the copier. */
  async abort(): Promise<void> {
    const n = lib();
    try {
      await n.async(
        (t) => calls.copierAbort(n, this.#handle.value, t),
        empty,
        "copy",
        this.#subject,
      );
    } finally {
      this.#handle.close();
    }
  }

  /** Blocking `abort`. */
  abortSync(): void {
    const n = lib();
    try {
      const s = calls.copierAbort(n, this.#handle.value, 0);
      n.sync(s, empty, "copy", this.#subject);
    } finally {
      this.#handle.close();
    }
  }

  /** Releases the copier; one not complete is aborted in the background. */
  [Symbol.dispose](): void {
    this.#handle.close();
  }

  /** Same as `[Symbol.dispose]()`. */
  [Symbol.asyncDispose](): Promise<void> {
    this.#handle.close();
    return Promise.resolve();
  }
}
