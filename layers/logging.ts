/**
 * Logs every operation with its outcome.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 * import { LoggingLayer } from "@opendal/core/layers/logging";
 *
 * using op = new MemoryOperator().layer(new LoggingLayer({ level: "info" }));
 * await op.write("a", "b"); // [opendal] memory write path=a finished
 * ```
 *
 * @module
 */

import { invalidArgument } from "../src/errors.ts";
import { Layer, LayerKind, Tag } from "../src/layer.ts";
import { consoleSink } from "../src/_ffi/native.ts";
import {
  type LogLevel,
  type LogRecord,
  type LogSink,
  shared,
} from "../src/shared.ts";

export type { LogLevel, LogRecord, LogSink };

/** Options of `LoggingLayer`. */
export interface LoggingLayerOptions {
  /**
   * The lowest level delivered (default `"info"`): `"debug"` adds each
   * operation's start, `"info"` each success, `"warn"` expected failures
   * (`NotFound`, ...), `"error"` unexpected ones.
   */
  level?: LogLevel;
  /**
   * Receives each line (default: `console.debug/info/warn/error`). What it
   * throws is reported once with `console.error` and never reaches the
   * operation it logs.
   */
  sink?: LogSink;
}

/**
 * Logs each operation of the operators it wraps, with its outcome, at or
 * above the chosen level. Lines are collected from the native library after
 * operations complete, so no extra permission is needed. They reach the sink
 * in the isolate (main thread or Worker) that made the layer, and the sink is
 * let go once the layer and every operator it wraps are closed.
 *
 * @example Collect lines in memory
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 * import { LoggingLayer, type LogRecord } from "@opendal/core/layers/logging";
 *
 * const lines: LogRecord[] = [];
 * using op = new MemoryOperator()
 *   .layer(new LoggingLayer({ level: "debug", sink: (r) => lines.push(r) }));
 * await op.stat("missing").catch(() => {});
 * console.log(lines.map((l) => l.level)); // [ "debug", "warn" ]
 * ```
 */
export class LoggingLayer extends Layer {
  /** Builds the layer; an unknown level throws `ConfigInvalid`. */
  constructor(options: LoggingLayerOptions = {}) {
    const state = shared();
    const sink = options.sink ?? consoleSink;
    if (typeof sink !== "function") {
      throw invalidArgument("sink must be a function");
    }
    const id = state.nextSink++;
    super(LayerKind.Logging, (input) => {
      if (options.level !== undefined) {
        input.string(Tag.Level, options.level, "level");
      }
      input.number(Tag.Sink, id, "sink");
    });
    // Removed when the native side reports the layer gone (see native.ts).
    state.sinks.set(id, sink);
  }
}
