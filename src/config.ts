/**
 * Typed service options to OpenDAL's config keys.
 *
 * @module
 */

import type { OperatorOptions } from "./operator.ts";

/**
 * Typed options to OpenDAL's config: `atomicWriteDir` becomes
 * `atomic_write_dir`, and durations (milliseconds) become `"1500ms"`.
 */
export function toConfig(
  options: object,
  durations: readonly string[] = [],
): OperatorOptions {
  const config: OperatorOptions = {};
  for (const [key, value] of Object.entries(options ?? {})) {
    const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    config[snake] = durations.includes(snake) && typeof value === "number"
      ? `${value}ms`
      : value;
  }
  return config;
}
