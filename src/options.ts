/**
 * Per-operation options and how each is written into a call input.
 *
 * @module
 */

import { type InputWriter, Tag } from "./codec.ts";
import { invalidArgument } from "./errors.ts";

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

/** Options of `read`. */
export interface ReadOptions
  extends ConditionalOptions, OverrideOptions, SignalOptions {
  /** First byte to read (default 0). */
  offset?: number;
  /** How many bytes to read (default: to the end). */
  length?: number;
  /** How many chunks to fetch at once: 1 to 1024. */
  concurrent?: number;
  /** Chunk size in bytes for concurrent reads: 1 to 5 GiB. */
  chunk?: number;
}

/** Options of `reader`. */
export interface ReaderOptions extends ConditionalOptions, SignalOptions {
  /** How many chunks to fetch at once: 1 to 1024. */
  concurrent?: number;
  /** Chunk size in bytes, also the size of each `readable` chunk: 1 to 5 GiB. */
  chunk?: number;
}

/** Options of `write` and `writer`. */
export interface WriteOptions extends SignalOptions {
  /** Append to the existing content (where `writeCanAppend`). */
  append?: boolean;
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
  /** Write only if the current ETag matches. */
  ifMatch?: string;
  /** Write only if the current ETag differs (`"*"`: only if absent). */
  ifNoneMatch?: string;
  /** Write only if nothing exists at the path. */
  ifNotExists?: boolean;
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
export interface DeleteOptions extends SignalOptions {
  /** Delete this version, on versioned services. */
  version?: string;
  /** Delete everything below a directory path too. */
  recursive?: boolean;
}

/** Options of `copy`. */
export interface CopyOptions extends SignalOptions {
  /** Copy only if the target does not exist. */
  ifNotExists?: boolean;
  /** Copy only if the target exists with this ETag (else `ConditionNotMatch`). */
  ifMatch?: string;
  /** Copy only if the target does not have this ETag. */
  ifNoneMatch?: string;
  /** Copy this version of the source. */
  sourceVersion?: string;
}

/** Options of `rename`. */
export interface RenameOptions extends SignalOptions {
  /** Rename only if the target does not exist. */
  ifNotExists?: boolean;
}

type Field = [tag: number, kind: "string" | "number" | "boolean" | "date"];

/** Every option name a call input can carry, and how it is encoded. */
const FIELDS: Record<string, Field> = {
  version: [Tag.Version, "string"],
  ifMatch: [Tag.IfMatch, "string"],
  ifNoneMatch: [Tag.IfNoneMatch, "string"],
  ifModifiedSince: [Tag.IfModifiedSince, "date"],
  ifUnmodifiedSince: [Tag.IfUnmodifiedSince, "date"],
  offset: [Tag.Offset, "number"],
  length: [Tag.Length, "number"],
  concurrent: [Tag.Concurrent, "number"],
  chunk: [Tag.Chunk, "number"],
  append: [Tag.Append, "boolean"],
  contentType: [Tag.ContentType, "string"],
  contentDisposition: [Tag.ContentDisposition, "string"],
  contentEncoding: [Tag.ContentEncoding, "string"],
  cacheControl: [Tag.CacheControl, "string"],
  ifNotExists: [Tag.IfNotExists, "boolean"],
  recursive: [Tag.Recursive, "boolean"],
  startAfter: [Tag.StartAfter, "string"],
  limit: [Tag.Limit, "number"],
  versions: [Tag.Versions, "boolean"],
  deleted: [Tag.Deleted, "boolean"],
  sourceVersion: [Tag.SourceVersion, "string"],
  overrideContentType: [Tag.OverrideContentType, "string"],
  overrideCacheControl: [Tag.OverrideCacheControl, "string"],
  overrideContentDisposition: [Tag.OverrideContentDisposition, "string"],
};

/**
 * Writes every set option into `input`. An unknown name is refused here, and
 * a known one the operation does not take is refused natively, by name.
 */
export function writeOptions(input: InputWriter, options?: object): void {
  if (options === undefined || options === null) return;
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined || name === "signal") continue;
    if (name === "userMetadata") {
      for (const [k, v] of Object.entries(value as Record<string, string>)) {
        input.pair(Tag.UserMetadata, k, v, "userMetadata");
      }
      continue;
    }
    const field = FIELDS[name];
    if (!field) throw invalidArgument(`unknown option ${name}`);
    const [tag, kind] = field;
    if (kind === "string") input.string(tag, value, name);
    else if (kind === "number") input.number(tag, value, name);
    else if (kind === "boolean") input.boolean(tag, value, name);
    else input.date(tag, value, name);
  }
}
