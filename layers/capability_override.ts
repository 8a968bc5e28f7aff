/**
 * Overrides what an operator claims it can do.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 * import { CapabilityOverrideLayer } from "@opendal/core/layers/capability_override";
 *
 * using op = new MemoryOperator()
 *   .layer(new CapabilityOverrideLayer({ list: false }));
 * console.log(op.capability().list); // false
 * ```
 *
 * @module
 */

import type { Capability } from "../src/capability.ts";
import { Layer, LayerKind, Tag } from "../src/layer.ts";
import { invalidArgument } from "../src/errors.ts";

/** Capability fields to override, by their `Capability` names. */
export type CapabilityOverrides = {
  [K in keyof Capability]?: Capability[K] extends boolean ? boolean : number;
};

/**
 * Replaces capability flags and limits: switch off what a server or emulator
 * lacks (so callers take their fallback path), or lower a limit such as
 * `deleteMaxSize`. It changes what the operator reports and checks; it
 * cannot add a feature the service does not have.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 * import { CapabilityOverrideLayer } from "@opendal/core/layers/capability_override";
 *
 * using op = new MemoryOperator()
 *   .layer(new CapabilityOverrideLayer({ writeCanAppend: false }));
 * console.log(op.capability().writeCanAppend); // false
 * ```
 */
export class CapabilityOverrideLayer extends Layer {
  /** Builds the layer; an unknown field or wrong value throws `ConfigInvalid`. */
  constructor(overrides: CapabilityOverrides) {
    const spec = Object.entries(overrides ?? {}).map(([key, value]) => {
      if (typeof value !== "boolean" && typeof value !== "number") {
        throw invalidArgument(`capability ${key} must be a boolean or number`);
      }
      const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      return `${snake}=${value}`;
    }).join(",");
    super(LayerKind.CapabilityOverride, (input) => {
      input.string(Tag.Overrides, spec, "overrides");
    });
  }
}
