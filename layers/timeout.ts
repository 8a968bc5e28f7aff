/**
 * Fails operations that take too long.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 * import { TimeoutLayer } from "@opendal/core/layers/timeout";
 *
 * using op = new MemoryOperator().layer(new TimeoutLayer({ timeout: 10_000 }));
 * await op.write("a", "b");
 * ```
 *
 * @module
 */

import { Layer, LayerKind, Tag } from "../src/layer.ts";

/** Options of `TimeoutLayer`, in milliseconds (as `setTimeout` takes them). */
export interface TimeoutLayerOptions {
  /** Limit for a whole non-streaming operation such as `stat` or `delete` (default 60 000). */
  timeout?: number;
  /** Limit for each read or write step of a stream (default 10 000). */
  ioTimeout?: number;
}

/**
 * Fails an operation with a temporary `Unexpected` error when it runs past its
 * limit, dropping the work in flight.
 *
 * Order: add `TimeoutLayer` first and `RetryLayer` after it. Later layers
 * wrap earlier ones, so the retry then sits outside and every attempt gets a
 * fresh timeout; the other way round, one timeout would cut all retries short.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 * import { RetryLayer } from "@opendal/core/layers/retry";
 * import { TimeoutLayer } from "@opendal/core/layers/timeout";
 *
 * using op = new MemoryOperator()
 *   .layer(new TimeoutLayer({ timeout: 3_000, ioTimeout: 1_000 }))
 *   .layer(new RetryLayer());
 * await op.write("a", "b");
 * ```
 */
export class TimeoutLayer extends Layer {
  /** Builds the layer; zero, negative or NaN limits throw `ConfigInvalid`. */
  constructor(options: TimeoutLayerOptions = {}) {
    super(LayerKind.Timeout, (input) => {
      input.optionalNumber(Tag.Timeout, options.timeout, "timeout");
      input.optionalNumber(Tag.IoTimeout, options.ioTimeout, "ioTimeout");
    });
  }
}
