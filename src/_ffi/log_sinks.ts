/**
 * `LoggingLayer` lines: drained from a queue's log buffer and handed to the
 * sinks of every module copy (a layer of one copy may log the operations of
 * another). A sink is the caller's code: whatever it throws is reported once
 * and goes no further.
 *
 * @module
 */

import { LogLevel as LevelCode, Status } from "./abi.ts";
import { RecordReader } from "./codec.ts";
import type { Symbols } from "./symbols.ts";
import {
  type LogLevel,
  type LogRecord,
  type LogSink,
  shared,
} from "../shared.ts";

/** Level names by the level byte of a log record. */
const LEVELS: LogLevel[] = [];
for (const [level, code] of Object.entries(LevelCode)) {
  if (code !== LevelCode.Retired) {
    LEVELS[code] = level.toLowerCase() as LogLevel;
  }
}
const { sinks, logFlushes } = shared();

/** Where lines of a `LoggingLayer` without a sink go. */
export const consoleSink: LogSink = ({ level, message }) =>
  console[level](`[opendal] ${message}`);

// Sinks whose error was reported: each is reported once.
const failedSinks = new WeakSet<LogSink>();

/**
 * Calls a sink. Whatever it throws (or its promise rejects with) is reported
 * once and goes no further: a sink must not break the calls it logs.
 */
function deliver(sink: LogSink, record: LogRecord): void {
  const failed = (e: unknown) => {
    if (failedSinks.has(sink)) return;
    failedSinks.add(sink);
    try {
      console.error(
        "[opendal] a LoggingLayer sink threw (later errors of this sink are not reported):",
        e,
      );
    } catch {
      // Not even console.error works: nothing more to do.
    }
  };
  try {
    const result: unknown = sink(record);
    if (result instanceof Promise) result.catch(failed);
  } catch (e) {
    failed(e);
  }
}

/** Hands every module copy's waiting log lines to their sinks. */
export function flushAllLogs(): void {
  for (const flush of logFlushes) flush();
}

/** The log lines of one queue, delivered to their sinks. */
export class LogDrain {
  readonly #sym: Symbols;
  readonly #queue: number;
  readonly #buffer = new Uint8Array(64 * 1024);
  readonly #record = new RecordReader();
  #flushing = false;

  constructor(sym: Symbols, queue: number) {
    this.#sym = sym;
    this.#queue = queue;
  }

  /**
   * Hands the `LoggingLayer` lines waiting in this copy's queue to their
   * sinks, and forgets the sinks of layers that are gone. Lines that sinks
   * cause (a sink that calls the library) wait for the next flush.
   */
  flush(): void {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      let waiting = this.#sym.opendal_log_pending(this.#queue);
      while (waiting > 0) {
        const s = this.#sym.opendal_log_drain(
          this.#queue,
          this.#buffer,
          this.#buffer.length,
        );
        if (s !== Status.Ok) return;
        const r = this.#record.at(this.#buffer);
        const count = r.u32();
        const dropped = r.f64();
        if (dropped > 0) {
          consoleSink({
            level: "warn",
            message: `${dropped} log lines were dropped: collect them faster`,
          });
        }
        for (let i = 0; i < count; i++) {
          const id = r.u32();
          const level = r.u8();
          const message = r.text();
          if (level === LevelCode.Retired) {
            sinks.delete(id);
            continue;
          }
          const sink = sinks.get(id);
          if (sink) deliver(sink, { level: LEVELS[level] ?? "info", message });
        }
        if (count === 0) return;
        waiting -= count;
      }
    } finally {
      this.#flushing = false;
    }
  }
}
