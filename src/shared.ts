/**
 * What every copy of this module loaded in one isolate (the same file
 * imported through two specifiers, or two versions) reads of the others:
 * the property keys that carry an object's handle and library, and the log
 * sinks. These names and shapes are a contract between versions: extend
 * them, never change them.
 *
 * @module
 */

/** Where an operator or layer keeps its native handle, readable by any copy. */
export const HANDLE: unique symbol = Symbol.for(
  "@opendal/core/handle",
) as never;

/** Where an operator or layer tells which native library made it. */
export const LIBRARY: unique symbol = Symbol.for(
  "@opendal/core/library",
) as never;

/** Which native library made an object (what {@link LIBRARY} holds). */
export interface LibraryInfo {
  /** The version of its C boundary (`OPENDAL_ABI_VERSION`). */
  readonly abi: number;
  /** The `@opendal/core` version that loaded it. */
  readonly version: string;
  /** Its file. */
  readonly path: string;
  /** Its instance tag, drawn at random when it loaded (bits 32..52 of its handles). */
  readonly instance: number;
}

/** One line from a `LoggingLayer`. */
export interface LogRecord {
  /** How important the line is. */
  level: LogLevel;
  /** The line: service, operation, context and outcome. */
  message: string;
}

/** Log levels, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Receives the lines of one `LoggingLayer`. */
export type LogSink = (record: LogRecord) => void;

interface Shared {
  /** The sink of each live `LoggingLayer` of this isolate, by id. */
  sinks: Map<number, LogSink>;
  nextSink: number;
  /**
   * One function per module copy that hands its queue's waiting log lines
   * to their sinks: a layer of one copy may log the operations of another.
   */
  logFlushes?: Set<() => void>;
}

const KEY = Symbol.for("@opendal/core/shared");

/** The state every copy shares. */
export function shared(): Required<Shared> {
  const g = globalThis as unknown as Record<symbol, Shared | undefined>;
  const s: Shared = g[KEY] ??= { sinks: new Map(), nextSink: 1 };
  s.logFlushes ??= new Set();
  return s as Required<Shared>;
}
