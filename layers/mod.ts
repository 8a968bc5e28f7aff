/**
 * Every layer. Apply one with `operator.layer(layer)`; layers apply in call
 * order, each wrapping the ones before it (add `TimeoutLayer` before
 * `RetryLayer`).
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 * import { LoggingLayer, RetryLayer, TimeoutLayer } from "@opendal/core/layers";
 *
 * using op = new MemoryOperator()
 *   .layer(new TimeoutLayer({ timeout: 10_000 }))
 *   .layer(new RetryLayer({ maxTimes: 3 }))
 *   .layer(new LoggingLayer({ level: "warn" }));
 * await op.write("a", "b");
 * ```
 *
 * @module
 */

export { Layer } from "../src/layer.ts";
export { RetryLayer, type RetryLayerOptions } from "./retry.ts";
export { TimeoutLayer, type TimeoutLayerOptions } from "./timeout.ts";
export {
  ConcurrentLimitLayer,
  type ConcurrentLimitLayerOptions,
} from "./concurrent_limit.ts";
export { MimeGuessLayer } from "./mime_guess.ts";
export { ThrottleLayer, type ThrottleLayerOptions } from "./throttle.ts";
export {
  LoggingLayer,
  type LoggingLayerOptions,
  type LogLevel,
  type LogRecord,
  type LogSink,
} from "./logging.ts";
export {
  CapabilityOverrideLayer,
  type CapabilityOverrides,
} from "./capability_override.ts";
export { ChaosLayer, type ChaosLayerOptions } from "./chaos.ts";
