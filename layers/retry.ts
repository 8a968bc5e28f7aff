/**
 * Retries operations that fail with a temporary error, with exponential
 * backoff.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 * import { RetryLayer } from "@opendal/core/layers/retry";
 *
 * using op = new MemoryOperator()
 *   .layer(new RetryLayer({ maxTimes: 4, minDelay: 100, jitter: true }));
 * await op.write("a", "b");
 * ```
 *
 * @module
 */

import { Layer, LayerKind, Tag } from "../src/layer.ts";

/** Options of `RetryLayer`. Durations are in milliseconds. */
export interface RetryLayerOptions {
  /** Retries after the first attempt (default 3). */
  maxTimes?: number;
  /** Backoff growth per retry, at least 1 (default 2). */
  factor?: number;
  /** Randomise each delay, so many clients do not retry in step (default false). */
  jitter?: boolean;
  /** The first delay (default 1000 ms). */
  minDelay?: number;
  /** The longest delay (default 60 000 ms). */
  maxDelay?: number;
}

/**
 * Retries operations that fail with a temporary error (`temporary: true`:
 * rate limits, timeouts, 5xx answers), waiting longer each time. Permanent
 * errors such as `NotFound` fail at once.
 *
 * Add it after `TimeoutLayer`, so each attempt gets its own timeout.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 * import { RetryLayer } from "@opendal/core/layers/retry";
 * import { TimeoutLayer } from "@opendal/core/layers/timeout";
 *
 * using op = new MemoryOperator()
 *   .layer(new TimeoutLayer({ timeout: 5_000 }))
 *   .layer(new RetryLayer({ maxTimes: 3, factor: 2, maxDelay: 2_000 }));
 * console.log(await op.exists("x")); // false
 * ```
 */
export class RetryLayer extends Layer {
  /** Builds the layer; invalid options throw `ConfigInvalid`. */
  constructor(options: RetryLayerOptions = {}) {
    super(LayerKind.Retry, (input) => {
      input.optionalNumber(Tag.MaxTimes, options.maxTimes, "maxTimes");
      input.optionalNumber(Tag.Factor, options.factor, "factor");
      if (options.jitter !== undefined) {
        input.boolean(Tag.Jitter, options.jitter, "jitter");
      }
      input.optionalNumber(Tag.MinDelay, options.minDelay, "minDelay");
      input.optionalNumber(Tag.MaxDelay, options.maxDelay, "maxDelay");
    });
  }
}
