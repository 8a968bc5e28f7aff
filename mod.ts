/**
 * Apache OpenDAL for Deno: one API for every storage service (local disk,
 * memory, S3, Azure Blob, GCS, WebDAV, SFTP, databases, ...), over one
 * native library loaded through Deno's FFI.
 *
 * Import an operator from `@opendal/core/services/<name>`, or use
 * `Operator` with any scheme the library was built with. Run with
 * `--allow-ffi`.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 *
 * using op = new MemoryOperator();
 * await op.write("a/b.txt", "hello");
 * console.log(await op.readText("a/b.txt")); // hello
 * for await (const entry of op.list("a/")) console.log(entry.path); // a/b.txt
 * ```
 *
 * @module
 */

export { Operator } from "./src/operator.ts";
export { Layer } from "./src/layer.ts";
export { diagnostics } from "./src/diagnostics.ts";
export type { Diagnostics, LibraryInfo } from "./src/diagnostics.ts";
export type { OperatorOptions, PresignedRequest } from "./src/operator.ts";
export { Entry, Metadata } from "./src/metadata.ts";
export type { EntryMode } from "./src/metadata.ts";
export type { Capability, OperatorInfo } from "./src/capability.ts";
export { OpendalError } from "./src/errors.ts";
export type { ErrorContext, ErrorKind } from "./src/errors.ts";
export { Reader } from "./src/reader.ts";
export type { ReadableOptions } from "./src/reader.ts";
export { Writer } from "./src/writer.ts";
export { Composer } from "./src/composer.ts";
export { Copier } from "./src/copier.ts";
export type { CopyProgress } from "./src/copier.ts";
export { Deleter } from "./src/deleter.ts";
export type { DeleteEntries, DeleteEntry } from "./src/deleter.ts";
export type { SyncWriteData, WriteData } from "./src/data.ts";
export type {
  ComposeOptions,
  ComposeSource,
  ConditionalOptions,
  ContentOptions,
  CopyOptions,
  DeleteOptions,
  ListOptions,
  OverrideOptions,
  PresignDeleteOptions,
  PresignReadOptions,
  PresignStatOptions,
  PresignWriteOptions,
  ReadableStreamOptions,
  ReaderOptions,
  ReadHintOptions,
  ReadOptions,
  RenameOptions,
  ReplaceConditionOptions,
  RestoreOptions,
  SignalOptions,
  StatOptions,
  VersionConditionOptions,
  WriteOptions,
} from "./src/options.ts";
