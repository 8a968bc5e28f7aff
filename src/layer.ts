/**
 * `Layer`: the base of every `layers/*` class. A layer is a native object in
 * the same handle table as operators, so any layer applies to any operator.
 *
 * @module
 */

import * as calls from "./_ffi/calls.ts";
import { LayerKind } from "./_ffi/abi.ts";
import { InputWriter, Tag } from "./_ffi/codec.ts";
import { NativeHandle } from "./handle.ts";
import { handle as readHandle } from "./_ffi/records.ts";
import { handleFrom } from "./_loader/library.ts";
import { lib } from "./_ffi/native.ts";
import { HANDLE, LIBRARY, type LibraryInfo } from "./shared.ts";

export { LayerKind };

/**
 * A layer: apply it with `operator.layer(layer)`, which returns a new
 * operator of the same class. One layer can wrap many operators, sharing its
 * state (one `ConcurrentLimitLayer` limits all of them together). The
 * layered operator owns the layer: closing that operator closes the layer,
 * so apply a shared layer to all its operators before closing any of them.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 * import { RetryLayer } from "@opendal/core/layers/retry";
 *
 * using op = new MemoryOperator().layer(new RetryLayer({ maxTimes: 3 }));
 * await op.write("x", "y");
 * ```
 */
export abstract class Layer implements Disposable {
  readonly #handle: NativeHandle;

  /**
   * Builds the native layer of `kind`; `options` writes its options. Invalid
   * options throw a `ConfigInvalid` `OpendalError` naming the option.
   *
   * @ignore
   */
  protected constructor(kind: number, options: (input: InputWriter) => void) {
    const n = lib();
    // An input of its own: `options` reads the caller's object, whose
    // getters may use the library (and its shared input) meanwhile.
    const input = new InputWriter(256);
    options(input);
    const s = calls.newLayer(n, kind, input, 0);
    this.#handle = new NativeHandle(n.sync(s, readHandle, "layer"), "layer");
  }

  /**
   * The native handle (read by operators of any module copy).
   *
   * @ignore
   */
  get [HANDLE](): number {
    return this.#handle.value;
  }

  /** The native library that made this layer (read by any module copy). */
  get [LIBRARY](): LibraryInfo {
    return lib().library;
  }

  /**
   * Releases the native layer; applying it afterwards throws `BadResource`.
   * Operators already wrapped keep working: they hold their own reference.
   */
  close(): void {
    this.#handle.close();
  }

  /** Same as `close()`. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * The handle of a layer from any copy of this module whose native library
 * is this copy's; a layer of another library is refused, naming both.
 */
export function layerHandle(layer: unknown): number {
  return handleFrom(layer, "Layer", lib().library, {
    operation: "layer",
    usage: "layer() takes a Layer from @opendal/core/layers",
  });
}

export { Tag };
