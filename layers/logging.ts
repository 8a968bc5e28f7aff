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

import { Layer, LayerKind, Tag } from "../src/layer.ts";
import { consoleSink } from "../src/native.ts";
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
  /** Receives each line (default: `console.debug/info/warn/error`). */
  sink?: LogSink;
}

/**
 * Logs each operation of the operators it wraps, with its outcome, at or
 * above the chosen level. Lines are collected from the native library after
 * operations complete, so no extra permission is needed.
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
    const sink = state.nextSink++;
    super(LayerKind.Logging, (input) => {
      if (options.level !== undefined) {
        input.string(Tag.Level, options.level, "level");
      }
      input.number(Tag.Sink, sink, "sink");
    });
    state.sinks.set(sink, options.sink ?? consoleSink);
  }
}
