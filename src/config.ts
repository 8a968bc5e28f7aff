/**
 * Typed service options to OpenDAL's config keys.
 *
 * @module
 */

import type { OperatorOptions } from "./operator.ts";

/** `atomicWriteDir` → `atomic_write_dir`: OpenDAL's config key names. */
export function toConfig(options: object): OperatorOptions {
  const config: OperatorOptions = {};
  for (const [key, value] of Object.entries(options)) {
    config[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = value;
  }
  return config;
}
