/**
 * Typed service options to the config the library takes.
 *
 * @module
 */

import type { OperatorOptions } from "./operator.ts";

/**
 * Typed options to the library's config: the camelCase keys pass as they
 * are (the library maps `atomicWriteDir` to OpenDAL's `atomic_write_dir`,
 * and names the closest key when one is unknown), and durations given in
 * milliseconds become `"1500ms"`.
 */
export function toConfig(
  options: object,
  durations: readonly string[] = [],
): OperatorOptions {
  const config: OperatorOptions = {};
  for (const [key, value] of Object.entries(options ?? {})) {
    config[key] = durations.includes(key) && typeof value === "number"
      ? `${value}ms`
      : value;
  }
  return config;
}
