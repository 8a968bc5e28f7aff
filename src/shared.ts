/**
 * State shared by every copy of this module loaded in one isolate (the same
 * file imported through two specifiers, or two versions): the property keys
 * that let one copy read another copy's handles, and the log sinks.
 *
 * @module
 */

/** Where an operator or layer keeps its native handle, readable by any copy. */
export const HANDLE: unique symbol = Symbol.for(
  "@opendal/core/handle",
) as never;

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
  sinks: Map<number, LogSink>;
  nextSink: number;
}

const KEY = Symbol.for("@opendal/core/shared");

/** The state every copy shares. */
export function shared(): Shared {
  const g = globalThis as unknown as Record<symbol, Shared | undefined>;
  return g[KEY] ??= { sinks: new Map(), nextSink: 1 };
}
