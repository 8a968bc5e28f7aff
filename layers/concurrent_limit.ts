/**
 * Caps how many operations run at once.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 * import { ConcurrentLimitLayer } from "@opendal/core/layers/concurrent_limit";
 *
 * using op = new MemoryOperator().layer(new ConcurrentLimitLayer({ permits: 8 }));
 * await op.write("a", "b");
 * ```
 *
 * @module
 */

import { Layer, LayerKind, Tag } from "../src/layer.ts";

/** Options of `ConcurrentLimitLayer`. */
export interface ConcurrentLimitLayerOptions {
  /** How many operations may run at once (at least 1). */
  permits: number;
  /** How many HTTP requests may be in flight at once, for HTTP services. */
  httpPermits?: number;
}

/**
 * Lets at most `permits` operations run at once; the rest wait their turn.
 * One layer applied to several operators limits them together.
 *
 * @example Two operators sharing one limit
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 * import { ConcurrentLimitLayer } from "@opendal/core/layers/concurrent_limit";
 *
 * using limit = new ConcurrentLimitLayer({ permits: 4 });
 * using a = new MemoryOperator().layer(limit);
 * using b = new MemoryOperator().layer(limit);
 * await Promise.all([a.write("x", "1"), b.write("y", "2")]);
 * ```
 */
export class ConcurrentLimitLayer extends Layer {
  /** Builds the layer; zero or fractional permits throw `ConfigInvalid`. */
  constructor(options: ConcurrentLimitLayerOptions) {
    super(LayerKind.ConcurrentLimit, (input) => {
      input.number(Tag.Permits, options?.permits, "permits");
      input.optionalNumber(Tag.HttpPermits, options.httpPermits, "httpPermits");
    });
  }
}
