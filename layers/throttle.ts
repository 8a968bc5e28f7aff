/**
 * Limits the bandwidth of writes. Reads are not limited: OpenDAL's
 * `ThrottleLayer` throttles only what is written.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 * import { ThrottleLayer } from "@opendal/core/layers/throttle";
 *
 * using op = new MemoryOperator()
 *   .layer(new ThrottleLayer({ bandwidth: 10 * 1024 * 1024 }));
 * await op.write("a", "b");
 * ```
 *
 * @module
 */

import { Layer, LayerKind, Tag } from "../src/layer.ts";

/** Options of `ThrottleLayer`, in bytes. */
export interface ThrottleLayerOptions {
  /** Bytes per second, at least 1. */
  bandwidth: number;
  /**
   * The most bytes that may pass at once (default: `bandwidth`). A single
   * write larger than this fails, so keep it above your chunk size.
   */
  burst?: number;
}

/**
 * Lets at most `bandwidth` bytes per second through writes (with bursts up
 * to `burst`). One layer applied to several operators shares the budget.
 * Reads pass at full speed: OpenDAL's layer throttles writes only.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 * import { ThrottleLayer } from "@opendal/core/layers/throttle";
 *
 * using op = new MemoryOperator()
 *   .layer(new ThrottleLayer({ bandwidth: 1024 * 1024, burst: 256 * 1024 }));
 * await op.write("a.bin", new Uint8Array(1024));
 * ```
 */
export class ThrottleLayer extends Layer {
  /** Builds the layer; zero bandwidth or burst throws `ConfigInvalid`. */
  constructor(options: ThrottleLayerOptions) {
    super(LayerKind.Throttle, (input) => {
      input.number(Tag.Bandwidth, options?.bandwidth, "bandwidth");
      input.optionalNumber(Tag.Burst, options.burst, "burst");
    });
  }
}
