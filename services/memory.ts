/**
 * The in-memory service: a process-local map, handy for tests and caches.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 *
 * using op = new MemoryOperator();
 * await op.write("k", "v");
 * console.log(await op.readText("k")); // v
 * ```
 *
 * @module
 */

import { Operator } from "../mod.ts";
import { toConfig } from "../src/config.ts";

/** Options of the memory service. */
export interface MemoryOptions {
  /** A prefix every path is relative to. */
  root?: string;
}

/**
 * An operator over memory owned by this operator: each one starts empty and
 * its data goes when it is closed.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 *
 * using op = new MemoryOperator();
 * op.writeSync("a", new Uint8Array([1, 2]));
 * console.log(op.readSync("a")); // Uint8Array(2) [ 1, 2 ]
 * ```
 */
export class MemoryOperator extends Operator {
  /** Creates an empty in-memory store. */
  constructor(options: MemoryOptions = {}) {
    super("memory", toConfig(options));
  }
}
