/**
 * `Composer`: concatenates objects on the service into one, sources handed
 * over as they come.
 *
 * @module
 */

import * as calls from "./_ffi/calls.ts";
import type { InputWriter } from "./_ffi/codec.ts";
import { Tag } from "./_ffi/codec.ts";
import { lib } from "./_ffi/native.ts";
import { empty, metadata } from "./_ffi/records.ts";
import { invalidArgument } from "./errors.ts";
import { NativeHandle } from "./handle.ts";
import type { Metadata } from "./metadata.ts";
import {
  type ComposeSource,
  type Option,
  readOptions,
  type SignalOptions,
  writeOptions,
} from "./options.ts";
import { checkSignal } from "./signal.ts";

/** A source read once into plain values: its path and its options. */
type Source = [path: string, options: Option[]];

/** Reads one source (caller code runs here), checking its types. */
function readSource(source: unknown): Source {
  if (typeof source === "string") return [source, []];
  if (typeof source !== "object" || source === null) {
    throw invalidArgument(
      `a compose source must be a path or { path, version, ifMatch, ifNotChanged }, got ${
        source === null ? "null" : typeof source
      }`,
    );
  }
  const { path, ...options } = source as Record<string, unknown>;
  if (typeof path !== "string") {
    throw invalidArgument(
      `a compose source's path must be a string, got ${typeof path}`,
    );
  }
  try {
    return [path, readOptions(options)];
  } catch (e) {
    throw invalidArgument(
      `compose source ${JSON.stringify(path)}: ${(e as Error).message}`,
    );
  }
}

/** Reads `sources` once (an iterable: caller code runs here), checking each. */
export function composeSources(sources: unknown): Source[] {
  const iterable = typeof sources === "object" && sources !== null &&
    Symbol.iterator in sources;
  if (!iterable) {
    throw invalidArgument(
      `compose sources must be an array or iterable of paths, got ${
        sources === null ? "null" : typeof sources
      }`,
    );
  }
  const read = Array.from(sources as Iterable<unknown>, readSource);
  if (read.length === 0) {
    throw invalidArgument("compose needs at least one source");
  }
  return read;
}

/** Writes sources as the library reads them: each path, then its options. */
export function writeSources(input: InputWriter, sources: Source[]): void {
  for (const [path, options] of sources) {
    input.string(Tag.Path, path, "source path");
    writeOptions(input, options);
  }
}

/**
 * Composes one object from sources handed over one at a time, in order:
 * for many sources, or sources that arrive over time, where `compose()`
 * takes them all at once. The service does the work (GCS's compose): no
 * byte passes through this process, and `compose()` waits while the
 * service's window of work in flight is full. **`close()` commits** the
 * destination; a composer released (`using`, dropped) before `close()`
 * commits nothing. Where `compose` is in `capability()`; `Unsupported`
 * elsewhere.
 *
 * @example Compose the parts of an upload as they land
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 *
 * using op = new MemoryOperator();
 * if (op.capability().compose) {
 *   await using composer = await op.composer("whole.bin");
 *   for (const part of ["parts/0", "parts/1", "parts/2"]) {
 *     await composer.compose(part);
 *   }
 *   const meta = await composer.close();
 *   console.log(meta.contentLength);
 * }
 * ```
 */
export class Composer implements Disposable, AsyncDisposable {
  readonly #handle: NativeHandle;
  readonly #to: string;

  /**
   * Wraps a native composer handle (internal: use `Operator.composer()`).
   *
   * @ignore
   */
  constructor(handle: number, to: string) {
    this.#handle = new NativeHandle(handle, "composer");
    this.#to = to;
  }

  /**
   * Hands over the next source: a path, or `{ path, version, ifMatch,
   * ifNotChanged }`.
   */
  compose(source: ComposeSource, options?: SignalOptions): Promise<void> {
    let read: Source;
    try {
      read = readSource(source);
    } catch (e) {
      return Promise.reject(e);
    }
    const n = lib();
    return n.async(
      (t) => {
        const input = n.input.reset();
        writeSources(input, [read]);
        return calls.composerCompose(n, this.#handle.value, input, t);
      },
      empty,
      "compose",
      this.#to,
      options?.signal,
    );
  }

  /** Blocking `compose`. */
  composeSync(source: ComposeSource): void {
    const read = readSource(source);
    const n = lib();
    const input = n.input.reset();
    writeSources(input, [read]);
    const s = calls.composerCompose(n, this.#handle.value, input, 0);
    n.sync(s, empty, "compose", this.#to);
  }

  /**
   * Commits the destination from every source handed over, and releases
   * the composer. Resolves to the destination's metadata.
   */
  async close(options?: SignalOptions): Promise<Metadata> {
    checkSignal(options?.signal); // a bad argument must not end the composer
    const n = lib();
    try {
      return await n.async(
        (t) => calls.composerClose(n, this.#handle.value, t),
        metadata,
        "compose",
        this.#to,
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
      const s = calls.composerClose(n, this.#handle.value, 0);
      return n.sync(s, metadata, "compose", this.#to);
    } finally {
      this.#handle.close();
    }
  }

  /** Releases the composer without committing anything. */
  [Symbol.dispose](): void {
    this.#handle.close();
  }

  /** Same as `[Symbol.dispose]()`. */
  [Symbol.asyncDispose](): Promise<void> {
    this.#handle.close();
    return Promise.resolve();
  }
}
