/**
 * `Deleter`: deletes many paths, in batches where the service deletes in
 * batches.
 *
 * @module
 */

import * as calls from "./_ffi/calls.ts";
import { Tag } from "./_ffi/codec.ts";
import { lib, type Native } from "./_ffi/native.ts";
import { empty } from "./_ffi/records.ts";
import { abortError, invalidArgument } from "./errors.ts";
import { NativeHandle } from "./handle.ts";
import type { SignalOptions } from "./options.ts";
import { checkSignal, isAborted } from "./signal.ts";

/** A path to delete, or a path and the version of it to delete. */
export type DeleteEntry = string | { path: string; version?: string };

/** A checked entry: its path and version, plain values. */
type Checked = [path: string, version: string | undefined];

/**
 * How many entries go into one native call: enough to fill S3's batches of
 * 1000 in one call, few enough that the input stays small.
 */
const ENTRIES_PER_CALL = 1000;

/** Reads `entry` once (a getter runs here), checking its types. */
function checked(entry: unknown): Checked {
  if (typeof entry === "string") return [entry, undefined];
  if (typeof entry !== "object" || entry === null) {
    throw invalidArgument(
      `an entry to delete must be a path or { path, version }, got ${
        entry === null ? "null" : typeof entry
      }`,
    );
  }
  const { path, version } = entry as { path: unknown; version: unknown };
  if (typeof path !== "string") {
    throw invalidArgument(
      `an entry's path must be a string, got ${typeof path}`,
    );
  }
  if (version !== undefined && typeof version !== "string") {
    throw invalidArgument(
      `the version of ${
        JSON.stringify(path)
      } must be a string, got ${typeof version}`,
    );
  }
  return [path, version];
}

/** The paths of `entries` (checked), as `opendal_deleter_delete` reads them. */
function deleteInput(n: Native, entries: Checked[]) {
  const input = n.input.reset();
  for (const [path, version] of entries) {
    input.string(Tag.Path, path, "path");
    if (version !== undefined) input.string(Tag.Version, version, "version");
  }
  return input;
}

// `deleteAll` queues through the deleter's private calls.
let send: (
  d: Deleter,
  entries: Checked[],
  signal?: AbortSignal,
) => Promise<void>;
let sendSync: (d: Deleter, entries: Checked[]) => void;

/** What `deleteMany` takes: any iterable or async iterable of entries. */
export type DeleteEntries =
  | Iterable<DeleteEntry>
  | AsyncIterable<DeleteEntry>;

/** `entries`, if it is something `deleteMany` can iterate. */
export function iterableOf(
  entries: unknown,
  sync: boolean,
): Iterable<unknown> | AsyncIterable<unknown> {
  const iterable = typeof entries === "object" && entries !== null && (
    Symbol.iterator in entries || (!sync && Symbol.asyncIterator in entries)
  );
  if (!iterable) {
    const what = entries === null ? "null" : typeof entries;
    throw invalidArgument(
      `the paths to delete must be an array or ${
        sync ? "an iterable" : "an iterable or async iterable"
      } of paths, got ${what}`,
    );
  }
  return entries as Iterable<unknown> | AsyncIterable<unknown>;
}

/**
 * Deletes many paths through one native deleter: paths are sent in batches
 * where the service deletes in batches (S3 sends up to 1000 per
 * `DeleteObjects` request), one by one elsewhere. **`close()` sends what is
 * still queued** and reports the first failure; a deleter disposed
 * (`using`, `await using`) or dropped without `close()` is released, and the
 * paths it still queued are not deleted. Paths already sent stay deleted
 * either way. Deleting what does not exist succeeds.
 *
 * A failure names the path the service refused in its message (`... (failed
 * path "logs/a.txt")`): OpenDAL stops at the first one, so paths after it
 * may not have been sent.
 *
 * `Operator.deleteMany()` does all of this for an iterable of paths.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 *
 * using op = new MemoryOperator();
 * await op.write("a.txt", "a");
 * await op.write("b.txt", "b");
 * await using deleter = await op.deleter();
 * await deleter.delete("a.txt");
 * await deleter.delete({ path: "b.txt" });
 * await deleter.close();
 * console.log(await op.exists("a.txt"), await op.exists("b.txt")); // false false
 * ```
 */
export class Deleter implements Disposable, AsyncDisposable {
  readonly #handle: NativeHandle;

  static {
    send = (d, entries, signal) => d.#send(entries, signal);
    sendSync = (d, entries) => d.#sendSync(entries);
  }

  /**
   * Wraps a native deleter handle (internal: use `Operator.deleter()`).
   *
   * @ignore
   */
  constructor(handle: number) {
    this.#handle = new NativeHandle(handle, "deleter");
  }

  /**
   * Queues `entry` (a path, or `{ path, version }` where the service has
   * `deleteWithVersion`) for deletion; a full batch is sent at once.
   */
  delete(entry: DeleteEntry, options?: SignalOptions): Promise<void> {
    let one: Checked[];
    try {
      one = [checked(entry)];
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#send(one, options?.signal);
  }

  /** Blocking `delete`. */
  deleteSync(entry: DeleteEntry): void {
    this.#sendSync([checked(entry)]);
  }

  /** Queues checked entries in one native call. */
  #send(entries: Checked[], signal?: AbortSignal): Promise<void> {
    const n = lib();
    return n.async(
      (t) => {
        const i = deleteInput(n, entries);
        return calls.deleterDelete(n, this.#handle.value, i, t);
      },
      empty,
      "deleteMany",
      undefined,
      signal,
    );
  }

  /** Blocking `#send`. */
  #sendSync(entries: Checked[]): void {
    const n = lib();
    const i = deleteInput(n, entries);
    const s = calls.deleterDelete(n, this.#handle.value, i, 0);
    n.sync(s, empty, "deleteMany");
  }

  /** Sends every path still queued, then releases the deleter. */
  async close(options?: SignalOptions): Promise<void> {
    checkSignal(options?.signal); // a bad argument must not end the deleter
    const n = lib();
    try {
      await n.async(
        (t) => calls.deleterClose(n, this.#handle.value, t),
        empty,
        "deleteMany",
        undefined,
        options?.signal,
      );
    } finally {
      this.#handle.close();
    }
  }

  /** Blocking `close`. */
  closeSync(): void {
    const n = lib();
    try {
      const s = calls.deleterClose(n, this.#handle.value, 0);
      n.sync(s, empty, "deleteMany");
    } finally {
      this.#handle.close();
    }
  }

  /** Releases the deleter without sending what it still queued. */
  [Symbol.dispose](): void {
    this.#handle.close();
  }

  /** Same as `[Symbol.dispose]()`. */
  [Symbol.asyncDispose](): Promise<void> {
    this.#handle.close();
    return Promise.resolve();
  }
}

/**
 * Feeds `entries` to `deleter` in calls of up to `ENTRIES_PER_CALL`, then
 * closes it; on any failure the deleter is released unclosed.
 */
export async function deleteAll(
  deleter: Deleter,
  entries: Iterable<unknown> | AsyncIterable<unknown>,
  signal?: AbortSignal,
): Promise<void> {
  try {
    let chunk: Checked[] = [];
    for await (const entry of entries) {
      if (signal && isAborted(signal)) throw abortError(signal);
      chunk.push(checked(entry));
      if (chunk.length === ENTRIES_PER_CALL) {
        await send(deleter, chunk, signal);
        chunk = [];
      }
    }
    if (chunk.length > 0) await send(deleter, chunk, signal);
    await deleter.close({ signal });
  } finally {
    deleter[Symbol.dispose]();
  }
}

/** Blocking `deleteAll`. */
export function deleteAllSync(
  deleter: Deleter,
  entries: Iterable<unknown>,
): void {
  try {
    let chunk: Checked[] = [];
    for (const entry of entries) {
      chunk.push(checked(entry));
      if (chunk.length === ENTRIES_PER_CALL) {
        sendSync(deleter, chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0) sendSync(deleter, chunk);
    deleter.closeSync();
  } finally {
    deleter[Symbol.dispose]();
  }
}
