/**
 * `Metadata` and `Entry`: what `stat`, `write` and `list` return.
 *
 * @module
 */

import { EntryMode as NativeMode } from "./_ffi/abi.ts";
import type { RecordReader } from "./_ffi/codec.ts";

/** Whether an entry is a file, a directory, or the service cannot tell. */
export type EntryMode = "file" | "dir" | "unknown";

/** Mode names by the mode byte of a metadata record. */
const MODES: EntryMode[] = [];
for (const [mode, code] of Object.entries(NativeMode)) {
  MODES[code] = mode.toLowerCase() as EntryMode;
}

/**
 * What a service knows about a file or directory. Fields the service did not
 * report are `undefined`.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 *
 * using op = new MemoryOperator();
 * await op.write("hello.txt", "hi");
 * const meta = await op.stat("hello.txt");
 * console.log(meta.isFile, meta.contentLength); // true 2
 * ```
 */
export class Metadata {
  /** File, directory, or unknown. */
  readonly mode: EntryMode;
  /** Length of the content in bytes (0 for directories). */
  readonly contentLength: number;
  /** The `Content-Type`, if the service stores one. */
  readonly contentType?: string;
  /** The `Content-Disposition`, if the service stores one. */
  readonly contentDisposition?: string;
  /** The `Content-Encoding`, if the service stores one. */
  readonly contentEncoding?: string;
  /** The `Cache-Control`, if the service stores one. */
  readonly cacheControl?: string;
  /** The content's MD5, if the service reports one. */
  readonly contentMd5?: string;
  /** The ETag, if the service reports one. */
  readonly etag?: string;
  /** The version id, on versioned services. */
  readonly version?: string;
  /** User metadata stored with the object (empty when none). */
  readonly userMetadata: Record<string, string>;
  /** Whether this is the current version (`undefined` when unknown). */
  readonly isCurrent?: boolean;
  /** Whether this version is a delete marker. */
  readonly isDeleted: boolean;
  #lastModified: number;

  /**
   * Decodes a metadata record (internal: users get these from operations).
   *
   * @ignore
   */
  constructor(r: RecordReader) {
    this.mode = MODES[r.u8()] ?? "unknown";
    const current = r.u8();
    this.isCurrent = current === 2 ? undefined : current === 1;
    this.isDeleted = r.u8() === 1;
    this.contentLength = r.f64();
    this.#lastModified = r.f64();
    this.contentType = r.str();
    this.contentDisposition = r.str();
    this.contentEncoding = r.str();
    this.cacheControl = r.str();
    this.contentMd5 = r.str();
    this.etag = r.str();
    this.version = r.str();
    const pairs = r.u32();
    const user: Record<string, string> = {};
    for (let i = 0; i < pairs; i++) {
      const k = r.text();
      user[k] = r.text();
    }
    this.userMetadata = user;
  }

  /** True for files. */
  get isFile(): boolean {
    return this.mode === "file";
  }

  /** True for directories. */
  get isDirectory(): boolean {
    return this.mode === "dir";
  }

  /** When the content last changed, if the service reports it. */
  get lastModified(): Date | undefined {
    return Number.isNaN(this.#lastModified)
      ? undefined
      : new Date(this.#lastModified);
  }

  /**
   * Shows the getters too in `console.log`, leaving out what is unset.
   *
   * @ignore
   */
  [Symbol.for("Deno.customInspect")](
    inspect: (value: unknown, options: unknown) => string,
    options: unknown,
  ): string {
    const shown: Record<string, unknown> = {
      mode: this.mode,
      isFile: this.isFile,
      isDirectory: this.isDirectory,
      contentLength: this.contentLength,
      lastModified: this.lastModified,
    };
    for (const [k, v] of Object.entries(this)) {
      if (v !== undefined && !(k in shown)) shown[k] = v;
    }
    return `Metadata ${inspect(shown, options)}`;
  }
}

/**
 * One result of `list`: a path relative to the operator's root, the last
 * segment of it, and the metadata the listing carried.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 *
 * using op = new MemoryOperator();
 * await op.write("dir/a.txt", "a");
 * for await (const entry of op.list("dir/")) {
 *   console.log(entry.path, entry.name, entry.metadata.mode);
 * }
 * ```
 */
export class Entry {
  /** The path relative to the root; directories end with `/`. */
  readonly path: string;
  /** What the listing reported (list metadata may be partial: `stat` for all). */
  readonly metadata: Metadata;

  /**
   * Decodes an entry record (internal: users get these from `list`).
   *
   * @ignore
   */
  constructor(r: RecordReader) {
    this.path = r.text();
    this.metadata = new Metadata(r);
  }

  /** The last segment of the path; directories end with `/`. */
  get name(): string {
    return baseName(this.path);
  }

  /**
   * Shows `name` too in `console.log`.
   *
   * @ignore
   */
  [Symbol.for("Deno.customInspect")](
    inspect: (value: unknown, options: unknown) => string,
    options: unknown,
  ): string {
    const { path, name, metadata } = this;
    return `Entry ${inspect({ path, name, metadata }, options)}`;
  }
}

/** The last segment of `path`, keeping a directory's trailing `/`. */
function baseName(path: string): string {
  if (path === "/" || path === "") return path;
  const end = path.endsWith("/") ? path.length - 2 : path.length - 1;
  return path.slice(path.lastIndexOf("/", end) + 1);
}
