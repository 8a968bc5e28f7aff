/**
 * Injects failures, to test how code copes with them.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 * import { ChaosLayer } from "@opendal/core/layers/chaos";
 *
 * using op = new MemoryOperator().layer(new ChaosLayer({ errorRatio: 0 }));
 * await op.write("a", "b");
 * ```
 *
 * @module
 */

import { Layer, LayerKind, Tag } from "../src/layer.ts";

/** Options of `ChaosLayer`. */
export interface ChaosLayerOptions {
  /** The share of reads that fail with a temporary error, from 0 to 1. */
  errorRatio: number;
}

/**
 * Makes a share of reads fail with a temporary `Unexpected` error, as a flaky
 * network would: a test tool for retry and error handling (OpenDAL's chaos
 * layer). Not for production.
 *
 * @example Prove a retry layer absorbs the failures
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 * import { ChaosLayer } from "@opendal/core/layers/chaos";
 * import { RetryLayer } from "@opendal/core/layers/retry";
 *
 * using base = new MemoryOperator();
 * await base.write("a", "data");
 * using op = base
 *   .layer(new ChaosLayer({ errorRatio: 0.5 }))
 *   .layer(new RetryLayer({ maxTimes: 50, minDelay: 1, maxDelay: 1 }));
 * console.log(await op.readText("a")); // data
 * ```
 */
export class ChaosLayer extends Layer {
  /** Builds the layer; a ratio outside 0..1 throws `ConfigInvalid`. */
  constructor(options: ChaosLayerOptions) {
    super(LayerKind.Chaos, (input) => {
      input.number(Tag.ErrorRatio, options?.errorRatio, "errorRatio");
    });
  }
}
