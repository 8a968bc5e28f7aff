/**
 * Ownership of native handles: released by `close()`, or by the garbage
 * collector when the user forgot.
 *
 * @module
 */

import { opendalError } from "./errors.ts";
import { lib } from "./_ffi/native.ts";

/** Reads a new object's handle from its record (a `double`). */

const registry = new FinalizationRegistry<number>((handle) => {
  lib().sym.opendal_close(handle);
});

/**
 * A native object, released by `close()` or, once this wrapper is
 * unreachable, by the garbage collector. Owners hold it in a field; code that
 * uses it across awaits or yields keeps it alive by using it.
 */
export class NativeHandle {
  #value: number;
  readonly #kind: string;

  /** Takes ownership of the native `value`, an object of `kind`. */
  constructor(value: number, kind: string) {
    this.#value = value;
    this.#kind = kind;
    registry.register(this, value, this);
  }

  /** The handle; a closed one throws `BadResource`, as Deno's closed files do. */
  get value(): number {
    if (this.#value === 0) {
      throw opendalError("BadResource", `this ${this.#kind} is closed`);
    }
    return this.#value;
  }

  /** Releases the native object; later calls are no-ops. */
  close(): void {
    if (this.#value === 0) return;
    registry.unregister(this);
    lib().sym.opendal_close(this.#value);
    this.#value = 0;
  }
}
