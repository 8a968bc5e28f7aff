/**
 * `Operator`: one storage service behind one uniform API.
 *
 * @module
 */

import { type InputWriter, Tag } from "./_ffi/codec.ts";
import type { Capability, OperatorInfo } from "./capability.ts";
import {
  fillable,
  type SyncWriteData,
  toBytes,
  viewLength,
  type WriteData,
} from "./data.ts";
import { abortError, invalidArgument } from "./errors.ts";
import { NativeHandle } from "./handle.ts";
import { EntryStream, listEntriesSync } from "./lister.ts";
import type { Entry, Metadata } from "./metadata.ts";
import { PresignKind } from "./_ffi/abi.ts";
import * as calls from "./_ffi/calls.ts";
import { lib, type Native, type Parse } from "./_ffi/native.ts";
import {
  bytes,
  empty,
  filled,
  flag,
  handle,
  info as readInfo,
  metadata,
  presigned,
} from "./_ffi/records.ts";
import {
  type ComposeOptions,
  type ComposeSource,
  type CopyOptions,
  type DeleteOptions,
  type ListOptions,
  type PresignDeleteOptions,
  type PresignReadOptions,
  type PresignStatOptions,
  type PresignWriteOptions,
  type ReadableStreamOptions,
  type ReaderOptions,
  type ReadOptions,
  readOptions,
  type RenameOptions,
  type RestoreOptions,
  type SignalOptions,
  type StatOptions,
  type WriteOptions,
  writeOptions,
} from "./options.ts";
import { DEFAULT_CHUNK, readableOf, Reader } from "./reader.ts";
import { rangeOf, suffixOf } from "./byte_stream.ts";
import { type Layer, layerHandle } from "./layer.ts";
import { handleFrom } from "./_loader/library.ts";
import { HANDLE, LIBRARY, type LibraryInfo } from "./shared.ts";
import {
  checkSignal,
  isAborted,
  listen,
  refuseSignal,
  unlisten,
} from "./signal.ts";
import { writableOf, Writer } from "./writer.ts";
import { Copier } from "./copier.ts";
import { Composer, composeSources, writeSources } from "./composer.ts";
import {
  deleteAll,
  deleteAllSync,
  type DeleteEntries,
  type DeleteEntry,
  Deleter,
  iterableOf,
} from "./deleter.ts";

/** Operator configuration: OpenDAL's config keys, any of these values. */
export type OperatorOptions = Record<
  string,
  string | number | boolean | undefined
>;

/** A request signed in advance: `fetch(url, { method, headers })` runs it. */
export interface PresignedRequest {
  /** The HTTP method. */
  readonly method: string;
  /** The signed URL. */
  readonly url: string;
  /** Headers the request must carry. */
  readonly headers: Record<string, string>;
}

const decoder = new TextDecoder();

/**
 * Writes a path and the options into the shared input. The options are
 * read first: caller code they run (getters, a `Proxy`) may use the input.
 */
function pathInput(n: Native, path: string, options?: object): InputWriter {
  const read = readOptions(options);
  const input = n.input.reset().string(Tag.Path, path, "path");
  writeOptions(input, read);
  return input;
}

/**
 * `pathInput` for `readInto`: the read is bounded by the buffer's `room`
 * (a smaller `length` stays; a `suffix` must fit).
 */
function intoInput(
  n: Native,
  path: string,
  room: number,
  options?: object,
): InputWriter {
  const read = readOptions(options);
  let bounded = false;
  for (const option of read) {
    const [tag, , value] = option;
    if (tag === Tag.Length) {
      // A bad value stays, for the library to refuse by name.
      if (typeof value === "number" && value > room) option[2] = room;
      bounded = true;
    } else if (tag === Tag.Suffix) {
      if (typeof value === "number" && value > room) {
        throw invalidArgument(
          `suffix ${value} is longer than the buffer (${room} bytes)`,
        );
      }
      bounded = true;
    }
  }
  const input = n.input.reset().string(Tag.Path, path, "path");
  if (!bounded) input.number(Tag.Length, room, "length");
  writeOptions(input, read);
  return input;
}

function twoPathInput(
  n: Native,
  from: string,
  to: string,
  options?: object,
): InputWriter {
  const read = readOptions(options);
  const input = n.input.reset()
    .string(Tag.Path, from, "source path")
    .string(Tag.Target, to, "target path");
  writeOptions(input, read);
  return input;
}

function expireInput(
  n: Native,
  path: string,
  seconds: number,
  options?: object,
): InputWriter {
  const read = readOptions(options);
  const input = n.input.reset()
    .string(Tag.Path, path, "path")
    .number(Tag.Expire, seconds, "expiresSeconds");
  writeOptions(input, read);
  return input;
}

/**
 * `copy`'s `onProgress` apart from the options sent to the library: each
 * option is read once here (getters run once).
 */
function progressOf(
  options: CopyOptions | undefined,
): [CopyOptions["onProgress"], CopyOptions | undefined] {
  if (options === undefined || options === null) return [undefined, options];
  const { onProgress, ...rest } = options;
  if (onProgress !== undefined && typeof onProgress !== "function") {
    throw invalidArgument(
      `onProgress must be a function, got ${typeof onProgress}`,
    );
  }
  return [onProgress, rest];
}

/** The input of `compose`: the destination and its options, then each source. */
function composeInput(
  n: Native,
  sources: unknown,
  to: string,
  options?: object,
): InputWriter {
  const read = composeSources(sources);
  const input = targetInput(n, to, options);
  writeSources(input, read);
  return input;
}

/** A target path and the options, as `composer` reads them. */
function targetInput(n: Native, to: string, options?: object): InputWriter {
  const read = readOptions(options);
  const input = n.input.reset().string(Tag.Target, to, "target path");
  writeOptions(input, read);
  return input;
}

/** The handle of an operator from any copy of this module that shares this copy's library. */
function operatorHandle(op: unknown): number {
  return handleFrom(op, "Operator", lib().library, {
    operation: "copyTo",
    usage: "the target must be an Operator",
  });
}

const PRESIGN = {
  read: PresignKind.Read,
  write: PresignKind.Write,
  stat: PresignKind.Stat,
  delete: PresignKind.Delete,
} as const;

/** Reads operator options once, before encoding: a getter may itself use the library. */
function readConfig(options: unknown): [string, string][] {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument("options must be an object");
  }
  const config: [string, string][] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!["string", "number", "boolean"].includes(typeof value)) {
      throw invalidArgument(
        `option ${key} must be a string, number or boolean`,
      );
    }
    config.push([key, String(value)]);
  }
  return config;
}

/**
 * An operator of class `target` (`Operator` or a service class) from `uri`
 * and `options`; `scheme`, for a service class, is the only scheme its URI
 * may name (internal: `Operator.fromUri` and the service classes' `fromUri`).
 *
 * @ignore
 */
export function operatorFromUri<T extends Operator>(
  target: abstract new (...args: never[]) => T,
  uri: string,
  options: OperatorOptions = {},
  scheme?: string,
): T {
  const n = lib();
  const config = readConfig(options);
  const input = n.input.reset().string(Tag.Uri, uri, "uri");
  if (scheme !== undefined) input.string(Tag.Scheme, scheme, "scheme");
  for (const [key, value] of config) {
    input.pair(Tag.Config, key, value, "options");
  }
  const s = calls.newOperator(n, input, 0);
  // A scheme the library lacks is `Unsupported`, saying how to build it in.
  const h = n.sync(s, handle, "fromUri");
  const info = n.sync(
    calls.info(n, h, 0),
    readInfo,
    "fromUri",
  );
  return Reflect.construct(Operator, [FROM_HANDLE, [h, info.scheme]], target);
}

// Lets `layer()`-style internals build an operator around an existing handle.
const FROM_HANDLE = Symbol("from handle");

/**
 * One storage service, configured. Every method that does I/O returns a
 * promise and has a blocking `*Sync` twin; paths are relative to the
 * configured root, and directories end with `/`.
 *
 * Prefer the typed classes of `@opendal/core/services/*` (`FsOperator`,
 * `S3Operator`, ...); this constructor takes any scheme the library was built
 * with and OpenDAL's config keys.
 *
 * @example
 * ```ts
 * import { Operator } from "@opendal/core";
 *
 * using op = new Operator("memory");
 * await op.write("hello.txt", "Hello, OpenDAL!");
 * console.log(await op.readText("hello.txt")); // Hello, OpenDAL!
 * console.log((await op.stat("hello.txt")).contentLength); // 15
 * ```
 */
export class Operator implements Disposable {
  /** The service scheme, such as `"fs"` or `"memory"`. */
  readonly scheme: string;
  readonly #handle: NativeHandle;
  // What `layer()` made this operator of: closed with it.
  readonly #parts: Disposable[] = [];
  #info?: OperatorInfo;

  /**
   * Creates an operator for `scheme` with OpenDAL's config keys (`root`,
   * `bucket`, ...). Fails with `Unsupported` (listing the available schemes)
   * for a scheme this build lacks, and `ConfigInvalid` for a bad config.
   */
  constructor(scheme: string, options: OperatorOptions = {}) {
    if ((scheme as unknown) === FROM_HANDLE) {
      const [h, s] = options as unknown as [number, string];
      this.#handle = new NativeHandle(h, "operator");
      this.scheme = s;
      return;
    }
    const n = lib();
    const config = readConfig(options);
    const input = n.input.reset().string(Tag.Scheme, scheme, "scheme");
    for (const [key, value] of config) {
      input.pair(Tag.Config, key, value, "options");
    }
    const s = calls.newOperator(n, input, 0);
    this.#handle = new NativeHandle(n.sync(s, handle, "new"), "operator");
    this.scheme = scheme;
  }

  /**
   * An operator from a URI, parsed by OpenDAL: the scheme names the service,
   * and the rest its config (`s3://bucket/prefix?region=us-east-1`,
   * `fs:///tmp/data`, `memory://`), with `options` (config keys, as for the
   * constructor) on top. A URI that does not parse, or names an unknown
   * config key in its query, is `ConfigInvalid`; a scheme this build lacks is
   * `Unsupported`. Messages never repeat the URI, which may hold secrets.
   * Each service class has its own `fromUri`, which refuses other schemes.
   *
   * @example
   * ```ts
   * import { Operator } from "@opendal/core";
   *
   * const dir = await Deno.makeTempDir();
   * using op = Operator.fromUri(`fs://${dir}`);
   * await op.write("hello.txt", "Hello!");
   * console.log(await Deno.readTextFile(`${dir}/hello.txt`)); // Hello!
   * ```
   */
  static fromUri(uri: string, options?: OperatorOptions): Operator {
    return operatorFromUri(Operator, uri, options);
  }

  /** Wraps `handle` in an operator of this operator's class. */
  #withHandle(handle: number): this {
    return Reflect.construct(
      Operator,
      [FROM_HANDLE, [handle, this.scheme]],
      this.constructor,
    );
  }

  /**
   * The native handle (read by layers and by other copies of the module).
   *
   * @ignore
   */
  get [HANDLE](): number {
    return this.#handle.value;
  }

  /** The native library that made this operator (read by other copies of the module). */
  get [LIBRARY](): LibraryInfo {
    return lib().library;
  }

  /**
   * A new operator of the same class: this one wrapped in `layer`. Layers
   * apply in call order, each wrapping the previous ones: add `TimeoutLayer`
   * before `RetryLayer`, so that every retry gets its own timeout.
   *
   * The new operator owns what it was made of: closing it (or leaving its
   * `using` scope) closes this operator and `layer` too, as closing a
   * buffered stream closes the stream it wraps. So
   * `using op = new S3Operator(...).layer(a).layer(b)` releases every native
   * object at the end of the scope. Until then this operator keeps working
   * unchanged, and `layer` can be applied to other operators (each keeps its
   * own native reference, so closing one never disturbs another already made).
   *
   * @example Everything is released with the outermost operator
   * ```ts
   * import { diagnostics } from "@opendal/core";
   * import { MemoryOperator } from "@opendal/core/services/memory";
   * import { RetryLayer, TimeoutLayer } from "@opendal/core/layers";
   *
   * const before = diagnostics().handles;
   * {
   *   using op = new MemoryOperator()
   *     .layer(new TimeoutLayer({ timeout: 10_000 }))
   *     .layer(new RetryLayer());
   *   await op.write("a.txt", "b");
   * }
   * console.log(diagnostics().handles - before); // 0
   * ```
   */
  layer(layer: Layer): this {
    const n = lib();
    const s = calls.applyLayer(n, this.#handle.value, layerHandle(layer), 0);
    const layered = this.#withHandle(n.sync(s, handle, "layer"));
    layered.#parts.push(this, layer);
    return layered;
  }

  /** The scheme, root, name and capability. */
  info(): OperatorInfo {
    if (this.#info) return this.#info;
    const n = lib();
    const s = calls.info(n, this.#handle.value, 0);
    return this.#info = n.sync(s, readInfo, "info");
  }

  /** What the service supports. */
  capability(): Capability {
    return this.info().capability;
  }

  /** Checks that the service answers (bucket exists, credentials work). */
  check(options?: SignalOptions): Promise<void> {
    const n = lib();
    const h = this.#handle.value;
    return n.async(
      (t) => calls.check(n, h, t),
      empty,
      "check",
      undefined,
      options?.signal,
    );
  }

  /** Blocking `check`. */
  checkSync(): void {
    const n = lib();
    n.sync(calls.check(n, this.#handle.value, 0), empty, "check");
  }

  /** Runs `call` for `path` (with options) asynchronously. */
  #async<T>(
    call: calls.OperatorCall,
    parse: Parse<T>,
    operation: string,
    path: string,
    options?: SignalOptions,
  ): Promise<T> {
    const n = lib();
    return n.async(
      (t) => call(n, this.#handle.value, pathInput(n, path, options), t),
      parse,
      operation,
      path,
      options?.signal,
    );
  }

  /** Runs `call` for `path` (with options), blocking. */
  #sync<T>(
    call: calls.OperatorCall,
    parse: Parse<T>,
    operation: string,
    path: string,
    options?: object,
  ): T {
    refuseSignal(options, operation);
    const n = lib();
    const s = call(n, this.#handle.value, pathInput(n, path, options), 0);
    return n.sync(s, parse, operation, path);
  }

  /** Metadata of `path`; `NotFound` if nothing is there. */
  stat(path: string, options?: StatOptions): Promise<Metadata> {
    return this.#async(calls.stat, metadata, "stat", path, options);
  }

  /** Blocking `stat`. */
  statSync(path: string, options?: Omit<StatOptions, "signal">): Metadata {
    return this.#sync(calls.stat, metadata, "stat", path, options);
  }

  /** Whether something exists at `path`. */
  exists(path: string, options?: SignalOptions): Promise<boolean> {
    return this.#async(calls.exists, flag, "exists", path, options);
  }

  /** Blocking `exists`. */
  existsSync(path: string): boolean {
    return this.#sync(calls.exists, flag, "exists", path);
  }

  /** The content of `path` (or of a range: `offset`, `length`; past the end, what exists). */
  read(path: string, options?: ReadOptions): Promise<Uint8Array<ArrayBuffer>> {
    return this.#async(calls.read, bytes, "read", path, options);
  }

  /** Blocking `read`. */
  readSync(
    path: string,
    options?: Omit<ReadOptions, "signal">,
  ): Uint8Array<ArrayBuffer> {
    return this.#sync(calls.read, bytes, "read", path, options);
  }

  /**
   * Reads `path` into the caller's `buffer` and resolves to how many bytes
   * it filled, for callers that reuse their memory: no new buffer per read.
   * Like `Deno.FsFile.read`, it fills what fits: it reads at most
   * `buffer.byteLength` bytes from `offset` (fewer with `length`, or when the
   * content ends first), so a result equal to `buffer.byteLength` may mean
   * more content follows. The options are `read`'s; a `suffix` longer than
   * the buffer is `ConfigInvalid`, as is a `buffer` that is not a
   * `Uint8Array` or whose `ArrayBuffer` is detached. A `Uint8Array` over a
   * `SharedArrayBuffer` is accepted.
   *
   * Bytes that are ready at once (the memory service, cached results) are
   * written by the library straight into `buffer`; others are copied into it
   * when the read completes, so the buffer may be read or transferred while
   * the read is in flight, but its content is only defined once the promise
   * resolves (a buffer detached meanwhile rejects with `ConfigInvalid`).
   *
   * @example Reuse one buffer for many reads
   * ```ts
   * import { MemoryOperator } from "@opendal/core/services/memory";
   *
   * using op = new MemoryOperator();
   * await op.write("a.txt", "hello, world");
   * const buffer = new Uint8Array(5);
   * const n = await op.readInto("a.txt", buffer, { offset: 7 });
   * console.log(new TextDecoder().decode(buffer.subarray(0, n))); // world
   * ```
   */
  readInto(
    path: string,
    buffer: Uint8Array,
    options?: ReadOptions,
  ): Promise<number> {
    const n = lib();
    let dst: Uint8Array;
    return n.async(
      (t) => {
        dst = fillable(buffer);
        const input = intoInput(n, path, viewLength(dst), options);
        return calls.readInto(n, this.#handle.value, input, dst, t);
      },
      (r, t) => filled(r, t, dst),
      "read",
      path,
      options?.signal,
    );
  }

  /**
   * Blocking `readInto`: the library writes straight into `buffer`.
   *
   * @example Read a header without allocating
   * ```ts
   * import { MemoryOperator } from "@opendal/core/services/memory";
   *
   * using op = new MemoryOperator();
   * op.writeSync("a.bin", new Uint8Array([1, 2, 3, 4, 5, 6]));
   * const header = new Uint8Array(4);
   * console.log(op.readIntoSync("a.bin", header), header); // 4 Uint8Array(4) [ 1, 2, 3, 4 ]
   * ```
   */
  readIntoSync(
    path: string,
    buffer: Uint8Array,
    options?: Omit<ReadOptions, "signal">,
  ): number {
    if (options === undefined) return this.#readIntoBlocking(path, buffer);
    refuseSignal(options, "read");
    const n = lib();
    const dst = fillable(buffer);
    const input = intoInput(n, path, viewLength(dst), options);
    const s = calls.readInto(n, this.#handle.value, input, dst, 0);
    return n.sync(s, (r, t) => filled(r, t, dst), "read", path);
  }

  /**
   * `readIntoSync` without options, through the export that needs no queue
   * and no result record: the hottest small read, where those cost as much
   * as the read itself (bench/PROFILE.md).
   */
  #readIntoBlocking(path: string, buffer: Uint8Array): number {
    const n = lib();
    const dst = fillable(buffer);
    const count = calls.readIntoBlocking(
      n,
      this.#handle.value,
      n.input.text(path, "path"),
      dst,
    );
    return n.counted(count, "read", path);
  }

  /** The content of `path` decoded as UTF-8. */
  async readText(path: string, options?: ReadOptions): Promise<string> {
    return decoder.decode(await this.read(path, options));
  }

  /** Blocking `readText`. */
  readTextSync(path: string, options?: Omit<ReadOptions, "signal">): string {
    return decoder.decode(this.readSync(path, options));
  }

  /**
   * Writes `data` to `path`, replacing what was there (or appending, with
   * `append`). Strings are written as UTF-8; a `Blob` or `ReadableStream` is
   * streamed through a writer. Resolves to the metadata the service returned.
   */
  write(
    path: string,
    data: WriteData,
    options?: WriteOptions,
  ): Promise<Metadata> {
    if (data instanceof Blob) data = data.stream();
    if (data instanceof ReadableStream) {
      return this.#writeStream(path, data, options);
    }
    const n = lib();
    return n.async(
      (t) =>
        calls.write(
          n,
          this.#handle.value,
          pathInput(n, path, options),
          toBytes(data),
          t,
        ),
      metadata,
      "write",
      path,
      options?.signal,
    );
  }

  /**
   * Streams `stream` through a writer. An aborted signal rejects at once,
   * even while the stream or the upload keeps everyone waiting: the source
   * is cancelled and the writer aborted (in the background: a stuck service
   * must not hold the caller). Any failure commits nothing.
   */
  async #writeStream(
    path: string,
    stream: ReadableStream<Uint8Array>,
    options?: WriteOptions,
  ): Promise<Metadata> {
    const signal = checkSignal(options?.signal);
    if (signal && isAborted(signal)) throw abortError(signal);
    const source = stream.getReader();
    const { promise: aborted, reject } = Promise.withResolvers<never>();
    aborted.catch(() => {});
    const onAbort = () => reject(abortError(signal));
    if (signal) listen(signal, onAbort);
    const opening = this.writer(path, options);
    opening.catch(() => {});
    try {
      const writer = await Promise.race([opening, aborted]);
      while (true) {
        const { done, value } = await Promise.race([source.read(), aborted]);
        if (done) break;
        await Promise.race([writer.write(value, { signal }), aborted]);
      }
      return await Promise.race([writer.close({ signal }), aborted]);
    } catch (e) {
      source.cancel(e).catch(() => {});
      const discarded = opening.then((w) => w.abort()).catch(() => {});
      if (!(signal && isAborted(signal))) await discarded;
      throw e;
    } finally {
      if (signal) unlisten(signal, onAbort);
    }
  }

  /** Blocking `write` (in-memory data only). */
  writeSync(
    path: string,
    data: SyncWriteData,
    options?: Omit<WriteOptions, "signal">,
  ): Metadata {
    refuseSignal(options, "write");
    const n = lib();
    const bytes = toBytes(data);
    const s = calls.write(
      n,
      this.#handle.value,
      pathInput(n, path, options),
      bytes,
      0,
    );
    return n.sync(s, metadata, "write", path);
  }

  /** Deletes `path`; deleting what does not exist succeeds. */
  delete(path: string, options?: DeleteOptions): Promise<void> {
    return this.#async(calls.remove, empty, "delete", path, options);
  }

  /** Blocking `delete`. */
  deleteSync(path: string, options?: Omit<DeleteOptions, "signal">): void {
    this.#sync(calls.remove, empty, "delete", path, options);
  }

  /**
   * Deletes every path of `paths` (an array, any iterable or async iterable
   * of paths or `{ path, version }`, such as `list()`'s entries) through one
   * `Deleter`: in batches where the service deletes in batches (S3: 1000
   * paths per request), one by one elsewhere. Deleting what does not exist
   * succeeds. A failure names the path the service refused; OpenDAL stops
   * there, so later paths may remain.
   *
   * @example Delete everything listed under a prefix
   * ```ts
   * import { MemoryOperator } from "@opendal/core/services/memory";
   *
   * using op = new MemoryOperator();
   * for (let i = 0; i < 3; i++) await op.write(`logs/${i}.txt`, "x");
   * await op.deleteMany(op.list("logs/", { recursive: true }));
   * console.log(await op.exists("logs/0.txt")); // false
   * ```
   */
  deleteMany(paths: DeleteEntries, options?: SignalOptions): Promise<void> {
    let entries;
    let signal;
    try {
      entries = iterableOf(paths, false);
      signal = checkSignal(options?.signal);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.deleter(options).then((d) => deleteAll(d, entries, signal));
  }

  /** Blocking `deleteMany` (iterables only). */
  deleteManySync(paths: Iterable<DeleteEntry>): void {
    const entries = iterableOf(paths, true) as Iterable<unknown>;
    deleteAllSync(this.deleterSync(), entries);
  }

  /**
   * A `Deleter`, to delete paths as they come: batched like `deleteMany`,
   * and only `close()` sends the last batch.
   */
  async deleter(options?: SignalOptions): Promise<Deleter> {
    const n = lib();
    const h = await n.async(
      (t) => calls.deleter(n, this.#handle.value, n.input.reset(), t),
      handle,
      "deleter",
      undefined,
      options?.signal,
    );
    return new Deleter(h);
  }

  /** Blocking `deleter`. */
  deleterSync(): Deleter {
    const n = lib();
    const s = calls.deleter(n, this.#handle.value, n.input.reset(), 0);
    return new Deleter(n.sync(s, handle, "deleter"));
  }

  /**
   * Restores `path` from its latest deleted state, or the `version` given,
   * where the service can (`restore` in `capability()`: S3 with versioning);
   * `Unsupported` elsewhere. Restoring a path that exists succeeds;
   * `NotFound` when there is nothing to restore.
   *
   * @example
   * ```ts
   * import { MemoryOperator } from "@opendal/core/services/memory";
   *
   * using op = new MemoryOperator();
   * if (op.capability().restore) await op.restore("deleted.txt");
   * ```
   */
  restore(path: string, options?: RestoreOptions): Promise<void> {
    return this.#async(calls.restore, empty, "restore", path, options);
  }

  /** Blocking `restore`. */
  restoreSync(path: string, options?: Omit<RestoreOptions, "signal">): void {
    this.#sync(calls.restore, empty, "restore", path, options);
  }

  /**
   * Writes `to` as the concatenation of `sources` (an array or iterable of
   * paths or `{ path, version, ifMatch, ifNotChanged }`), in order, on the service itself:
   * no byte passes through this process. Where `compose` is in
   * `capability()` (GCS); `Unsupported` elsewhere. Resolves to the
   * destination's metadata. The sources stay; `to` may not be one of them.
   *
   * @example
   * ```ts
   * import { MemoryOperator } from "@opendal/core/services/memory";
   *
   * using op = new MemoryOperator();
   * if (op.capability().compose) {
   *   await op.compose(["parts/0", "parts/1"], "whole.bin");
   * }
   * ```
   */
  compose(
    sources: Iterable<ComposeSource>,
    to: string,
    options?: ComposeOptions,
  ): Promise<Metadata> {
    const n = lib();
    return n.async(
      (t) =>
        calls.compose(
          n,
          this.#handle.value,
          composeInput(n, sources, to, options),
          t,
        ),
      metadata,
      "compose",
      to,
      options?.signal,
    );
  }

  /** Blocking `compose`. */
  composeSync(
    sources: Iterable<ComposeSource>,
    to: string,
    options?: Omit<ComposeOptions, "signal">,
  ): Metadata {
    refuseSignal(options, "compose");
    const n = lib();
    const i = composeInput(n, sources, to, options);
    return n.sync(
      calls.compose(n, this.#handle.value, i, 0),
      metadata,
      "compose",
      to,
    );
  }

  /**
   * A `Composer` of `to` (the destination's compose options), to hand
   * sources over one at a time; `close()` commits. Where `compose` is in
   * `capability()` (GCS); `Unsupported` elsewhere.
   *
   * @example
   * ```ts
   * import { FsOperator } from "@opendal/core/services/fs";
   *
   * using op = new FsOperator({ root: await Deno.makeTempDir() });
   * try {
   *   await op.composer("whole.bin");
   * } catch (e) {
   *   console.log((e as Error).name); // NotSupported: fs cannot compose
   * }
   * ```
   */
  async composer(to: string, options?: ComposeOptions): Promise<Composer> {
    const n = lib();
    const h = await n.async(
      (t) =>
        calls.composer(n, this.#handle.value, targetInput(n, to, options), t),
      handle,
      "compose",
      to,
      options?.signal,
    );
    return new Composer(h, to);
  }

  /** Blocking `composer`. */
  composerSync(to: string, options?: Omit<ComposeOptions, "signal">): Composer {
    refuseSignal(options, "composer");
    const n = lib();
    const s = calls.composer(
      n,
      this.#handle.value,
      targetInput(n, to, options),
      0,
    );
    return new Composer(n.sync(s, handle, "compose", to), to);
  }

  /** Deletes `path` and everything below it (never the root itself). */
  removeAll(path: string, options?: SignalOptions): Promise<void> {
    return this.#async(
      calls.removeAll,
      empty,
      "removeAll",
      path,
      options,
    );
  }

  /** Blocking `removeAll`. */
  removeAllSync(path: string): void {
    this.#sync(calls.removeAll, empty, "removeAll", path);
  }

  /** Creates the directory `path` (ending with `/`) and its parents. */
  createDir(path: string, options?: SignalOptions): Promise<void> {
    return this.#async(
      calls.createDir,
      empty,
      "createDir",
      path,
      options,
    );
  }

  /** Blocking `createDir`. */
  createDirSync(path: string): void {
    this.#sync(calls.createDir, empty, "createDir", path);
  }

  /**
   * Copies the file `from` to `to`, replacing `to`. `IsSameFile` when both
   * name one file (`.` and `..` segments and repeated `/` resolved; on fs
   * also through links), which a copy would destroy.
   */
  copy(from: string, to: string, options?: CopyOptions): Promise<void> {
    let onProgress: CopyOptions["onProgress"];
    try {
      [onProgress, options] = progressOf(options);
    } catch (e) {
      return Promise.reject(e);
    }
    if (onProgress) return this.#copySteps(from, to, options, onProgress);
    const n = lib();
    return n.async(
      (t) =>
        calls.copy(
          n,
          this.#handle.value,
          twoPathInput(n, from, to, options),
          t,
        ),
      empty,
      "copy",
      [from, to],
      options?.signal,
    );
  }

  /** Blocking `copy`. */
  copySync(
    from: string,
    to: string,
    options?: Omit<CopyOptions, "signal">,
  ): void {
    refuseSignal(options, "copy");
    let onProgress: CopyOptions["onProgress"];
    [onProgress, options] = progressOf(options);
    if (onProgress) {
      using copier = this.copierSync(from, to, options);
      for (const step of copier) onProgress(step);
      copier.closeSync();
      return;
    }
    const n = lib();
    const s = calls.copy(
      n,
      this.#handle.value,
      twoPathInput(n, from, to, options),
      0,
    );
    n.sync(s, empty, "copy", [from, to]);
  }

  /** `copy` through a copier, reporting each step to `onProgress`. */
  async #copySteps(
    from: string,
    to: string,
    options: CopyOptions | undefined,
    onProgress: NonNullable<CopyOptions["onProgress"]>,
  ): Promise<void> {
    const signal = options?.signal;
    await using copier = await this.copier(from, to, options);
    for (let bytes; (bytes = await copier.next({ signal })) !== null;) {
      onProgress({ bytes, copied: copier.copied });
    }
    await copier.close({ signal });
  }

  /**
   * A `Copier` from `from` to `to` (the copy options): the copy runs a step
   * at a time as you call `next()` or iterate it, and `close()` completes
   * it. `IsSameFile` as `copy`.
   *
   * @example
   * ```ts
   * import { FsOperator } from "@opendal/core/services/fs";
   *
   * using op = new FsOperator({ root: await Deno.makeTempDir() });
   * await op.write("a.txt", "hello");
   * await using copier = await op.copier("a.txt", "b.txt");
   * for await (const { copied } of copier) console.log(copied);
   * await copier.close();
   * console.log(await op.readText("b.txt")); // hello
   * ```
   */
  async copier(
    from: string,
    to: string,
    options?: Omit<CopyOptions, "onProgress">,
  ): Promise<Copier> {
    const n = lib();
    const h = await n.async(
      (t) =>
        calls.copier(
          n,
          this.#handle.value,
          twoPathInput(n, from, to, options),
          t,
        ),
      handle,
      "copy",
      [from, to],
      options?.signal,
    );
    return new Copier(h, [from, to]);
  }

  /** Blocking `copier`. */
  copierSync(
    from: string,
    to: string,
    options?: Omit<CopyOptions, "signal" | "onProgress">,
  ): Copier {
    refuseSignal(options, "copier");
    const n = lib();
    const s = calls.copier(
      n,
      this.#handle.value,
      twoPathInput(n, from, to, options),
      0,
    );
    return new Copier(n.sync(s, handle, "copy", [from, to]), [from, to]);
  }

  /**
   * Copies the file `path` of this operator to `targetPath` of `target`,
   * another operator of any service. The bytes stream inside the native
   * library, chunk by chunk, without passing through JavaScript; the write
   * options apply to the target, and nothing is committed unless the whole
   * copy succeeds. Resolves to the target's metadata. `IsSameFile` when the
   * target is this very file (through this operator or a layer over it, or
   * on fs the same file however reached).
   *
   * @example Copy from a local directory to memory
   * ```ts
   * import { FsOperator } from "@opendal/core/services/fs";
   * import { MemoryOperator } from "@opendal/core/services/memory";
   *
   * using local = new FsOperator({ root: await Deno.makeTempDir() });
   * using cache = new MemoryOperator();
   * await local.write("report.csv", "a,b\n1,2\n");
   * const meta = await local.copyTo("report.csv", cache, "reports/latest.csv");
   * console.log(meta.contentLength); // 8
   * ```
   */
  copyTo(
    path: string,
    target: Operator,
    targetPath: string = path,
    options?: WriteOptions,
  ): Promise<Metadata> {
    const n = lib();
    return n.async(
      (t) => {
        const to = operatorHandle(target); // before the input: it may run code
        const i = twoPathInput(n, path, targetPath, options);
        return calls.copyTo(n, this.#handle.value, to, i, t);
      },
      metadata,
      "copyTo",
      [path, targetPath],
      options?.signal,
    );
  }

  /**
   * Renames the file `from` to `to`, replacing `to`. `IsSameFile` when both
   * paths name one file (`.` and `..` segments and repeated `/` resolved).
   */
  rename(from: string, to: string, options?: RenameOptions): Promise<void> {
    const n = lib();
    return n.async(
      (t) =>
        calls.rename(
          n,
          this.#handle.value,
          twoPathInput(n, from, to, options),
          t,
        ),
      empty,
      "rename",
      [from, to],
      options?.signal,
    );
  }

  /** Blocking `rename`. */
  renameSync(
    from: string,
    to: string,
    options?: Omit<RenameOptions, "signal">,
  ): void {
    refuseSignal(options, "rename");
    const n = lib();
    const s = calls.rename(
      n,
      this.#handle.value,
      twoPathInput(n, from, to, options),
      0,
    );
    n.sync(s, empty, "rename", [from, to]);
  }

  /**
   * The entries below `path` (a directory ending with `/`, or a prefix), as
   * they stream in. Like `Deno.readDir`; stop early with `break` and the
   * native lister is released at once.
   *
   * As OpenDAL lists: `list("dir/")` includes `dir/` itself when it exists as
   * an entry (always on fs); `list("dir")`, without the slash, is a prefix
   * one level up and returns `dir/` itself (and `dir.txt`, ...), not what is
   * in it; a directory that does not exist lists as empty.
   *
   * @example Skip the directory itself
   * ```ts
   * import { MemoryOperator } from "@opendal/core/services/memory";
   *
   * using op = new MemoryOperator();
   * await op.createDir("dir/");
   * await op.write("dir/a.txt", "a");
   * for await (const entry of op.list("dir/")) {
   *   if (entry.path === "dir/") continue;
   *   console.log(entry.path); // dir/a.txt
   * }
   * ```
   */
  list(
    path: string,
    options?: ListOptions,
  ): AsyncGenerator<Entry, void, undefined> {
    const signal = checkSignal(options?.signal);
    const open = () => this.#async(calls.lister, handle, "list", path, options);
    return new EntryStream(open, path, signal);
  }

  /** Blocking `list`. */
  *listSync(
    path: string,
    options?: Omit<ListOptions, "signal">,
  ): Generator<Entry, void, undefined> {
    const lister = this.#sync(calls.lister, handle, "list", path, options);
    yield* listEntriesSync(lister, path);
  }

  /** Opens `path` for range reads and streaming. */
  async reader(path: string, options?: ReaderOptions): Promise<Reader> {
    const h = await this.#async(calls.reader, handle, "reader", path, options);
    return new Reader(h, path, options?.chunk);
  }

  /** Blocking `reader`. */
  readerSync(path: string, options?: Omit<ReaderOptions, "signal">): Reader {
    const h = this.#sync(calls.reader, handle, "reader", path, options);
    return new Reader(h, path, options?.chunk);
  }

  /**
   * The content of `path` (or of a range: `offset`, `length`, or the last
   * `suffix` bytes) as a byte stream that owns a fresh reader: the reader opens at the first read and
   * is released at the end of the data, on `cancel()`, on error, or when
   * `signal` aborts (which errors the stream with the abort reason). Reader
   * options (`chunk`, conditions, ...) apply. A bad range throws at once; a
   * failure to open or read (`NotFound`, ...) errors the stream at its first
   * read, which a `Response` meets after sending its status: `stat()` first
   * to answer 404.
   *
   * @example Serve files over HTTP
   * ```ts
   * import { MemoryOperator } from "@opendal/core/services/memory";
   *
   * using op = new MemoryOperator();
   * await op.write("index.html", "<h1>Hello</h1>");
   * async function handler(req: Request): Promise<Response> {
   *   const path = new URL(req.url).pathname.slice(1);
   *   if (!(await op.exists(path))) return new Response(null, { status: 404 });
   *   return new Response(op.readable(path));
   * }
   * const res = await handler(new Request("http://localhost/index.html"));
   * console.log(await res.text()); // <h1>Hello</h1>
   * ```
   */
  readable(
    path: string,
    options: ReadableStreamOptions = {},
  ): ReadableStream<Uint8Array<ArrayBuffer>> {
    const suffix = suffixOf(options);
    const range = suffix === undefined
      ? rangeOf(options)
      : { offset: 0, length: suffix };
    const signal = checkSignal(options.signal);
    const { offset: _, length: __, suffix: ___, ...readerOptions } = options;
    // A suffix starts where the object's last `suffix` bytes do.
    const start = suffix === undefined ? undefined : async () => {
      const { contentLength } = await this.stat(path, { signal });
      return Math.max(0, contentLength - suffix);
    };
    return readableOf(
      () => this.reader(path, readerOptions),
      readerOptions.chunk ?? DEFAULT_CHUNK,
      range,
      signal,
      start,
    );
  }

  /**
   * A stream that writes `path` through a fresh writer it owns (see
   * `Writer`): it opens at the first write, closing the stream commits, and
   * aborting it, a failed write or an aborted `signal` discards everything
   * written.
   *
   * @example Store an upload
   * ```ts
   * import { MemoryOperator } from "@opendal/core/services/memory";
   *
   * using op = new MemoryOperator();
   * const upload = new Request("http://localhost/", {
   *   method: "PUT",
   *   body: "uploaded bytes",
   * });
   * await upload.body!.pipeTo(op.writable("upload.txt"));
   * console.log(await op.readText("upload.txt")); // uploaded bytes
   * ```
   */
  writable(
    path: string,
    options: WriteOptions = {},
  ): WritableStream<SyncWriteData> {
    const signal = checkSignal(options.signal);
    return writableOf(() => this.writer(path, options), signal);
  }

  /** Opens `path` for writing in chunks; only `close()` commits (see `Writer`). */
  async writer(path: string, options?: WriteOptions): Promise<Writer> {
    const h = await this.#async(calls.writer, handle, "writer", path, options);
    return new Writer(h, path, this.scheme === "fs");
  }

  /** Blocking `writer`. */
  writerSync(path: string, options?: Omit<WriteOptions, "signal">): Writer {
    return new Writer(
      this.#sync(calls.writer, handle, "writer", path, options),
      path,
      this.scheme === "fs",
    );
  }

  #presign(
    kind: keyof typeof PRESIGN,
    path: string,
    expiresSeconds: number,
    options?: SignalOptions,
  ): Promise<PresignedRequest> {
    const n = lib();
    return n.async(
      (t) => {
        const i = expireInput(n, path, expiresSeconds, options);
        return calls.presign(n, this.#handle.value, PRESIGN[kind], i, t);
      },
      presigned,
      "presign",
      path,
      options?.signal,
    );
  }

  /**
   * A signed GET for `path`, valid `expiresSeconds`; `Unsupported` where the
   * service cannot sign, or cannot honour an option.
   *
   * @example A link that downloads as a named attachment
   * ```ts ignore
   * const req = await op.presignRead("report.pdf", 3600, {
   *   overrideContentDisposition: 'attachment; filename="report.pdf"',
   * });
   * console.log(req.url);
   * ```
   */
  presignRead(
    path: string,
    expiresSeconds: number,
    options?: PresignReadOptions,
  ): Promise<PresignedRequest> {
    return this.#presign("read", path, expiresSeconds, options);
  }

  /**
   * A signed PUT for `path`, valid `expiresSeconds`; the upload must send
   * the returned headers (content type, user metadata, conditions).
   *
   * @example An upload that must be JSON and must not overwrite
   * ```ts ignore
   * const req = await op.presignWrite("in/a.json", 600, {
   *   contentType: "application/json",
   *   ifNotExists: true,
   * });
   * await fetch(req.url, { method: req.method, headers: req.headers, body: "{}" });
   * ```
   */
  presignWrite(
    path: string,
    expiresSeconds: number,
    options?: PresignWriteOptions,
  ): Promise<PresignedRequest> {
    return this.#presign("write", path, expiresSeconds, options);
  }

  /**
   * A signed HEAD for `path`, valid `expiresSeconds`.
   *
   * @example
   * ```ts ignore
   * const req = await op.presignStat("a.txt", 60, { version });
   * ```
   */
  presignStat(
    path: string,
    expiresSeconds: number,
    options?: PresignStatOptions,
  ): Promise<PresignedRequest> {
    return this.#presign("stat", path, expiresSeconds, options);
  }

  /**
   * A signed DELETE for `path`, valid `expiresSeconds`.
   *
   * @example Delete one version only
   * ```ts ignore
   * const req = await op.presignDelete("a.txt", 60, { version });
   * ```
   */
  presignDelete(
    path: string,
    expiresSeconds: number,
    options?: PresignDeleteOptions,
  ): Promise<PresignedRequest> {
    return this.#presign("delete", path, expiresSeconds, options);
  }

  /**
   * Releases the native operator, and for a layered operator the operator
   * and layer it was made of (see `layer()`). Operations already running
   * finish. Using it afterwards throws `BadResource`.
   */
  close(): void {
    this.#handle.close();
    for (const part of this.#parts.splice(0)) part[Symbol.dispose]?.();
  }

  /** Same as `close()`. */
  [Symbol.dispose](): void {
    this.close();
  }
}
