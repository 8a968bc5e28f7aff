/**
 * Per-operation options and how each is written into a call input.
 *
 * @module
 */

import { OPTIONS, Tag } from "./_ffi/abi.ts";
import type { InputWriter } from "./_ffi/codec.ts";
import { invalidArgument } from "./errors.ts";
import type { CopyProgress } from "./copier.ts";
import type { Metadata } from "./metadata.ts";

/** Options every asynchronous operation accepts. */
export interface SignalOptions {
  /** Aborting cancels the native work and rejects with an `AbortError`. */
  signal?: AbortSignal;
}

/** Conditions shared by `stat` and `read`. */
export interface ConditionalOptions {
  /** Succeed only if the ETag matches (else `ConditionNotMatch`). */
  ifMatch?: string;
  /** Succeed only if the ETag differs (else `ConditionNotMatch`). */
  ifNoneMatch?: string;
  /** Succeed only if modified after this date. */
  ifModifiedSince?: Date;
  /** Succeed only if not modified after this date. */
  ifUnmodifiedSince?: Date;
  /** Act on this version, on versioned services. */
  version?: string;
  /**
   * Succeed only if the current version id is this one (else
   * `ConditionNotMatch`), where `*WithIfVersionMatch` (GCS: the
   * generation).
   *
   * @example Read only the version stat saw
   * ```ts ignore
   * const { version } = await op.stat("a.txt");
   * await op.read("a.txt", { ifVersionMatch: version });
   * ```
   */
  ifVersionMatch?: string;
  /**
   * Succeed only if the current version id is not this one (else
   * `ConditionNotMatch`), where `*WithIfVersionNotMatch`.
   *
   * @example Skip a read when nothing changed
   * ```ts ignore
   * await op.stat("a.txt", { ifVersionNotMatch: cachedVersion });
   * ```
   */
  ifVersionNotMatch?: string;
}

/** Version conditions of `write`, `delete` and `copy` (on the target). */
export interface VersionConditionOptions {
  /**
   * Act only if the current version id is this one (else
   * `ConditionNotMatch`), where the capability's `*WithIfVersionMatch`.
   *
   * @example Replace only the version you read
   * ```ts ignore
   * const { version } = await op.stat("a.txt");
   * await op.write("a.txt", "new", { ifVersionMatch: version });
   * ```
   */
  ifVersionMatch?: string;
  /**
   * Act only if the current version id is not this one, where
   * `*WithIfVersionNotMatch`.
   *
   * @example
   * ```ts ignore
   * await op.delete("a.txt", { ifVersionNotMatch: oldVersion });
   * ```
   */
  ifVersionNotMatch?: string;
  /**
   * Act only if the object is still the one this metadata (from `stat`)
   * describes: OpenDAL compares its version where the service has version
   * conditions, else its ETag; a changed or missing object fails with
   * `ConditionNotMatch`. Metadata with neither is `ConfigInvalid`.
   *
   * @example Compare-and-swap
   * ```ts ignore
   * const seen = await op.stat("counter");
   * await op.write("counter", "2", { ifNotChanged: seen });
   * ```
   */
  ifNotChanged?: Pick<Metadata, "etag" | "version">;
}

/** Response header overrides, for presigned requests and services that honour them. */
export interface OverrideOptions {
  /** Serve the content with this `Content-Type`. */
  overrideContentType?: string;
  /** Serve the content with this `Cache-Control`. */
  overrideCacheControl?: string;
  /** Serve the content with this `Content-Disposition`. */
  overrideContentDisposition?: string;
}

/** Options of `stat`. */
export interface StatOptions
  extends ConditionalOptions, OverrideOptions, SignalOptions {}

/** Read hints that change no result: services may ignore them. */
export interface ReadHintOptions {
  /**
   * Ranges closer than this many bytes are fetched as one request, the bytes
   * between them discarded (0: only adjacent ranges merge).
   *
   * @example
   * ```ts ignore
   * await op.read("big.bin", { concurrent: 4, chunk: 1 << 20, gap: 64 << 10 });
   * ```
   */
  gap?: number;
  /**
   * The object's length, if known, so OpenDAL need not look it up. A wrong
   * value can make the read fail or come back short.
   *
   * @example
   * ```ts ignore
   * const { contentLength } = await op.stat("a.bin");
   * await op.read("a.bin", { concurrent: 4, contentLengthHint: contentLength });
   * ```
   */
  contentLengthHint?: number;
}

/** Options of `read`. */
export interface ReadOptions
  extends ConditionalOptions, OverrideOptions, ReadHintOptions, SignalOptions {
  /** First byte to read (default 0). */
  offset?: number;
  /** How many bytes to read (default: to the end). */
  length?: number;
  /**
   * Read the last `suffix` bytes (all of them when the object is shorter),
   * where `readWithSuffix`. Not with `offset` or `length` (`ConfigInvalid`).
   *
   * @example The last 16 bytes
   * ```ts ignore
   * const tail = await op.read("log.txt", { suffix: 16 });
   * ```
   */
  suffix?: number;
  /** How many chunks to fetch at once: 1 to 1024. */
  concurrent?: number;
  /** Chunk size in bytes for concurrent reads: 1 to 5 GiB. */
  chunk?: number;
}

/** Options of `reader`. */
export interface ReaderOptions
  extends ConditionalOptions, ReadHintOptions, SignalOptions {
  /** How many chunks to fetch at once: 1 to 1024. */
  concurrent?: number;
  /** Chunk size in bytes, also the size of each `readable` chunk: 1 to 5 GiB. */
  chunk?: number;
  /**
   * How many fetched chunks a concurrent read may hold before they are
   * consumed (default 0: strict back-pressure).
   *
   * @example
   * ```ts ignore
   * await using r = await op.reader("big.bin", { concurrent: 8, prefetch: 4 });
   * ```
   */
  prefetch?: number;
}

/** Options of `Operator.readable`: the reader's options and a range. */
export interface ReadableStreamOptions extends ReaderOptions {
  /** First byte of the stream (default 0). */
  offset?: number;
  /** How many bytes to stream (default: to the end). */
  length?: number;
  /**
   * Stream the last `suffix` bytes (all of them when the object is
   * shorter). Finding where they start costs one `stat` when the stream
   * opens. Not with `offset` or `length` (`ConfigInvalid`).
   *
   * @example The end of a log
   * ```ts ignore
   * for await (const chunk of op.readable("app.log", { suffix: 4096 })) {
   *   await Deno.stdout.write(chunk);
   * }
   * ```
   */
  suffix?: number;
}

/**
 * What a write, a presigned write or a compose stores besides the bytes,
 * each where the capability has the operation's `*WithContentType`, ...
 * (else `Unsupported`, naming the option).
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 *
 * using op = new MemoryOperator();
 * await op.write("page.html", "<p>hi</p>", { contentType: "text/html" });
 * console.log((await op.stat("page.html")).contentType); // text/html
 * ```
 */
export interface ContentOptions {
  /** The `Content-Type` to store. */
  contentType?: string;
  /** The `Content-Disposition` to store. */
  contentDisposition?: string;
  /** The `Content-Encoding` to store. */
  contentEncoding?: string;
  /** The `Cache-Control` to store. */
  cacheControl?: string;
  /**
   * User metadata to store with the object. With the other text options
   * of the call it must fit in 64 KiB (services allow far less: S3 2 KiB).
   */
  userMetadata?: Record<string, string>;
}

/**
 * Conditions on the object a write, a presigned write or a compose replaces.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 *
 * using op = new MemoryOperator();
 * await op.write("lock", "me", { ifNotExists: true });
 * ```
 */
export interface ReplaceConditionOptions {
  /** Only if the current ETag matches (else `ConditionNotMatch`). */
  ifMatch?: string;
  /** Only if the current ETag differs (`"*"`: only if absent). */
  ifNoneMatch?: string;
  /** Only if nothing exists at the path. */
  ifNotExists?: boolean;
}

/** Options of `write`, `writer` and `writable`. */
export interface WriteOptions
  extends
    ContentOptions,
    ReplaceConditionOptions,
    VersionConditionOptions,
    SignalOptions {
  /** Append to the existing content (where `writeCanAppend`). */
  append?: boolean;
  /** How many parts to upload at once: 1 to 1024. */
  concurrent?: number;
  /** Part size in bytes for multipart uploads: 1 to 5 GiB (S3's largest part). */
  chunk?: number;
}

/** Options of `list`. */
export interface ListOptions extends SignalOptions {
  /** List everything below the path, not only direct children. */
  recursive?: boolean;
  /** Start after this path (lexicographic), where `listWithStartAfter`. */
  startAfter?: string;
  /** How many entries to ask the service for per page. */
  limit?: number;
  /** Include every version, where `listWithVersions`. */
  versions?: boolean;
  /** Include delete markers, where `listWithDeleted`. */
  deleted?: boolean;
}

/** Options of `delete`. */
export interface DeleteOptions extends VersionConditionOptions, SignalOptions {
  /** Delete this version, on versioned services. */
  version?: string;
  /** Delete everything below a directory path too. */
  recursive?: boolean;
  /**
   * Delete only if the object's ETag is this one (else `ConditionNotMatch`),
   * where `deleteWithIfMatch`.
   */
  ifMatch?: string;
  /**
   * Delete only if the object's ETag is not this one (else
   * `ConditionNotMatch`), where `deleteWithIfNoneMatch`.
   *
   * @example
   * ```ts ignore
   * await op.delete("a.txt", { ifNoneMatch: etagToKeep });
   * ```
   */
  ifNoneMatch?: string;
}

/** Options of `copy`. */
export interface CopyOptions extends VersionConditionOptions, SignalOptions {
  /** Copy only if the target does not exist. */
  ifNotExists?: boolean;
  /** Copy only if the target exists with this ETag (else `ConditionNotMatch`). */
  ifMatch?: string;
  /** Copy only if the target does not have this ETag. */
  ifNoneMatch?: string;
  /** Copy this version of the source. */
  sourceVersion?: string;
  /**
   * The source's length, if known (OpenDAL then need not look it up); only
   * when the source cannot change, as with `sourceVersion`.
   *
   * @example
   * ```ts ignore
   * await op.copy("a", "b", { sourceVersion: v, sourceContentLengthHint: n });
   * ```
   */
  sourceContentLengthHint?: number;
  /** How many parts to copy at once, where the service copies in parts: 1 to 1024. */
  concurrent?: number;
  /** Part size in bytes for a copy in parts: 1 to 5 GiB. */
  chunk?: number;
  /**
   * Called after each step of a copy in parts (S3's multipart copy, Azure
   * Blob's block copy: see `Copier`) with the bytes copied; services that
   * copy in one request call it never. A throw aborts the copy.
   *
   * @example
   * ```ts ignore
   * await op.copy("big.iso", "backup/big.iso", {
   *   chunk: 8 * 1024 * 1024,
   *   onProgress: ({ copied }) => console.log(`${copied} bytes copied`),
   * });
   * ```
   */
  onProgress?: (progress: CopyProgress) => void;
}

/** Options of `presignRead`. */
export interface PresignReadOptions extends OverrideOptions, SignalOptions {
  /** Sign a read of this version. */
  version?: string;
  /** The signed read succeeds only if the ETag matches. */
  ifMatch?: string;
  /** The signed read succeeds only if the ETag differs. */
  ifNoneMatch?: string;
}

/** Options of `presignStat`. */
export interface PresignStatOptions extends PresignReadOptions {}

/** Options of `presignWrite`: what the signed PUT must carry (signed headers), and its conditions. */
export interface PresignWriteOptions
  extends ContentOptions, ReplaceConditionOptions, SignalOptions {}

/** Options of `presignDelete`. */
export interface PresignDeleteOptions extends SignalOptions {
  /** Sign the deletion of this version. */
  version?: string;
  /** The signed delete succeeds only if the ETag matches. */
  ifMatch?: string;
  /** The signed delete succeeds only if the ETag differs. */
  ifNoneMatch?: string;
}

/** Options of `rename`. */
export interface RenameOptions extends SignalOptions {
  /** Rename only if the target does not exist. */
  ifNotExists?: boolean;
}

// OpenDAL 0.59's operations (issue 16).

/** Options of `restore`. */
export interface RestoreOptions extends SignalOptions {
  /** Restore this version (where `restoreWithVersion`), not the latest deleted state. */
  version?: string;
  /**
   * Restore only if nothing exists at the path now (else
   * `ConditionNotMatch`); needs `version` (where `restoreWithIfNotExists`).
   */
  ifNotExists?: boolean;
}

/** Options of `compose`: they apply to the destination. */
export interface ComposeOptions
  extends ContentOptions, ReplaceConditionOptions, SignalOptions {}

/**
 * One source of `compose`: a path, or a path with the version to read
 * (where `composeWithSourceVersion`), the ETag it must have (where
 * `composeWithSourceIfMatch`), or the `Metadata` it must still match
 * (`ifNotChanged`: its version or its ETag, whichever the service checks).
 */
export type ComposeSource =
  | string
  | {
    path: string;
    version?: string;
    ifMatch?: string;
    ifNotChanged?: Metadata;
  };

/** One option read out of the caller's object: plain values only. */
export type Option =
  | [tag: number, name: string, value: string | number | boolean]
  | [tag: typeof Tag.UserMetadata, key: string, value: string]
  | [tag: typeof Tag.IfNotChanged, etag: string, version: string];

const getTime = Date.prototype.getTime;

/** A `Date`'s time, by the built-in method (a subclass cannot run code here). */
function timeOf(value: unknown, name: string): number {
  try {
    return getTime.call(value);
  } catch {
    throw invalidArgument(`${name} must be a Date`);
  }
}

/** `typeof value`, to compare with a kind held in a variable. */
const typeName = (value: unknown): string => typeof value;

/**
 * Reads every set option once, into plain values, checking each type. This
 * is the only place the caller's object is read (its getters or a `Proxy`
 * run here), before anything is encoded: code that runs here may call the
 * library itself without disturbing this call's input.
 */
export function readOptions(options?: object): Option[] {
  if (options === undefined || options === null) return [];
  const read: Option[] = [];
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined || name === "signal") continue;
    if (name === "userMetadata") {
      if (typeof value !== "object" || value === null) {
        throw invalidArgument("userMetadata must be an object of strings");
      }
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== "string") {
          throw invalidArgument("userMetadata keys and values must be strings");
        }
        read.push([Tag.UserMetadata, k, v]);
      }
      continue;
    }
    if (name === "ifNotChanged") {
      read.push(identityOf(value));
      continue;
    }
    const field = Object.hasOwn(OPTIONS, name) ? OPTIONS[name] : undefined;
    if (!field) throw invalidArgument(`unknown option ${name}`);
    const [tag, kind] = field;
    if (kind === "date") {
      read.push([tag, name, timeOf(value, name)]);
    } else if (typeName(value) === kind) {
      read.push([tag, name, value]);
    } else {
      throw invalidArgument(`${name} must be a ${kind}, got ${typeof value}`);
    }
  }
  return read;
}

/** The etag and version of an `ifNotChanged` metadata, each read once. */
function identityOf(value: unknown): Option {
  if (typeof value !== "object" || value === null) {
    throw invalidArgument("ifNotChanged must be a Metadata (as stat returns)");
  }
  const { etag, version } = value as { etag?: unknown; version?: unknown };
  for (const [name, v] of [["etag", etag], ["version", version]]) {
    if (v !== undefined && typeof v !== "string") {
      throw invalidArgument(`ifNotChanged.${name} must be a string`);
    }
  }
  return [Tag.IfNotChanged, (etag ?? "") as string, (version ?? "") as string];
}

/** Writes options read by `readOptions` into `input`; runs no caller code. */
export function writeOptions(input: InputWriter, options: Option[]): void {
  for (const [tag, name, value] of options) {
    if (tag === Tag.UserMetadata) {
      input.pair(tag, name, value as string, "userMetadata");
    } else if (tag === Tag.IfNotChanged) {
      input.pair(tag, name, value as string, "ifNotChanged");
    } else if (typeof value === "string") input.string(tag, value, name);
    else if (typeof value === "number") input.number(tag, value, name);
    else input.boolean(tag, value, name);
  }
}
