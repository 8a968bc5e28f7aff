/**
 * `Capability` and `OperatorInfo`: what a service can do.
 *
 * @module
 */

import type { Capability } from "./_ffi/capability.ts";

export type { Capability };

/**
 * The operator's scheme, root, name (bucket, container, ...) and capability.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 *
 * using op = new MemoryOperator({ root: "/cache/" });
 * const { scheme, root } = op.info();
 * console.log(scheme, root); // memory /cache/
 * ```
 */
export interface OperatorInfo {
  /** The service scheme, such as `"fs"` or `"s3"`. */
  readonly scheme: string;
  /** The root every path is relative to. */
  readonly root: string;
  /** The namespace, such as a bucket name; empty when the service has none. */
  readonly name: string;
  /** What the service supports. */
  readonly capability: Capability;
}
