/**
 * Listing: entries stream in batches from a native lister, which is released
 * as soon as the consumer stops (even by `break`).
 *
 * @module
 */

import * as calls from "./_ffi/calls.ts";
import { abortError } from "./errors.ts";
import { NativeHandle } from "./handle.ts";
import type { Entry } from "./metadata.ts";
import { lib } from "./_ffi/native.ts";
import { batch as readBatch } from "./_ffi/records.ts";
import { isAborted } from "./signal.ts";

/** The most entries one native call returns. */
const BATCH = 1024;

const DONE: IteratorReturnResult<void> = { done: true, value: undefined };

/**
 * The entries of a listing, as an async generator would give them but
 * without its cost per entry (several promise ticks through two nested
 * generators): `next()` hands out a fetched batch one resolved promise at a
 * time. The native lister opens on the first `next()` and is released when
 * the listing ends, fails, or the consumer stops (`return()`, `break`).
 *
 * The signal is checked on every `next()`, so after an abort no further
 * entry is delivered; after `return()` every `next()`, pending or new,
 * resolves done.
 */
export class EntryStream implements AsyncGenerator<Entry, void, undefined> {
  readonly #open: () => Promise<number>;
  readonly #path: string;
  readonly #signal: AbortSignal | undefined;
  #lister: NativeHandle | undefined;
  #batch: Entry[] = [];
  #next = 0;
  // The native lister has no more entries.
  #exhausted = false;
  // The consumer stopped, or the listing failed: nothing more is yielded.
  #stopped = false;
  #fetching: Promise<void> | undefined;

  /** `open` makes the native lister (internal: users call `op.list`). */
  constructor(
    open: () => Promise<number>,
    path: string,
    signal: AbortSignal | undefined,
  ) {
    this.#open = open;
    this.#path = path;
    this.#signal = signal;
  }

  /** The next entry. Calls made while a batch is on its way wait for it. */
  next(): Promise<IteratorResult<Entry, void>> {
    if (this.#stopped) return Promise.resolve(DONE);
    if (this.#signal && isAborted(this.#signal)) {
      this.#stop();
      return Promise.reject(abortError(this.#signal));
    }
    if (!this.#fetching && this.#next < this.#batch.length) {
      return Promise.resolve({ done: false, value: this.#batch[this.#next++] });
    }
    if (!this.#fetching && this.#exhausted) {
      this.#stop();
      return Promise.resolve(DONE);
    }
    return this.#refill();
  }

  /**
   * Waits for the next batch, then hands out its first entry. Each step is
   * one `await` (no `.then`/`.finally`), so a failure's stack leads through
   * here to the caller's loop.
   */
  async #refill(): Promise<IteratorResult<Entry, void>> {
    const fetching = this.#fetching ??= this.#fetch();
    try {
      await fetching;
    } finally {
      if (this.#fetching === fetching) this.#fetching = undefined;
    }
    return await this.next();
  }

  /** Stops the listing and releases the native lister. */
  return(): Promise<IteratorResult<Entry, void>> {
    this.#stop();
    return Promise.resolve(DONE);
  }

  /** Stops the listing, then rethrows `error`. */
  throw(error: unknown): Promise<IteratorResult<Entry, void>> {
    this.#stop();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Releases the native lister (`await using`). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  async #fetch(): Promise<void> {
    try {
      if (!this.#lister) {
        const lister = new NativeHandle(await this.#open(), "lister");
        // Stopped while it opened: the next listing must not restart.
        if (this.#stopped) return lister.close();
        this.#lister = lister;
      }
      const lister = this.#lister;
      const n = lib();
      const batch = await n.async(
        (t) => calls.listerNext(n, lister.value, BATCH, t),
        readBatch,
        "list",
        this.#path,
        this.#signal,
      );
      if (this.#stopped) return;
      this.#batch = batch.entries;
      this.#next = 0;
      this.#exhausted = batch.done;
    } catch (e) {
      this.#stop();
      throw e;
    }
  }

  #stop(): void {
    this.#stopped = true;
    this.#batch = [];
    this.#lister?.close();
    this.#lister = undefined;
  }
}

/** The entries of a listing, one batch per native call (`listSync`). */
export function* listEntriesSync(
  handle: number,
  path: string,
): Generator<Entry, void, undefined> {
  const lister = new NativeHandle(handle, "lister");
  const n = lib();
  try {
    while (true) {
      const s = calls.listerNext(n, lister.value, BATCH, 0);
      const batch = n.sync(s, readBatch, "list", path);
      yield* batch.entries;
      if (batch.done) return;
    }
  } finally {
    lister.close();
  }
}
