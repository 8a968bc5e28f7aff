/**
 * The FFI symbol table of the native library, and opening it. Where the
 * library file is, `_loader/locate.ts` decides; which copy of it an isolate uses,
 * `library.ts`.
 *
 * @module
 */

import { CALL_SYMBOLS } from "./calls.ts";

/**
 * A native handle: a whole number below 2^53, passed as a double (exact in
 * JavaScript, and on Deno's FFI fast path like a u32).
 */
const HANDLE_TYPE = "f64";

/** Every symbol the module uses. */
export const SYMBOLS = {
  opendal_queue_new: { parameters: [], result: HANDLE_TYPE },
  opendal_queue_wait: {
    parameters: [HANDLE_TYPE, "buffer", "u32", "i32"],
    result: "i32",
    nonblocking: true,
  },
  // The same export, called synchronously: how the notifier's callback
  // collects what is ready (a timeout of 0 never blocks).
  opendal_queue_wait_now: {
    name: "opendal_queue_wait",
    parameters: [HANDLE_TYPE, "buffer", "u32", "i32"],
    result: "i32",
  },
  opendal_queue_outcome: {
    parameters: [HANDLE_TYPE, "u32", "buffer", "u32"],
    result: "i32",
  },
  opendal_queue_take: {
    parameters: [HANDLE_TYPE, "u32", "buffer", "f64"],
    result: "i32",
  },
  opendal_queue_cancel: { parameters: [HANDLE_TYPE, "u32"], result: "i32" },
  opendal_queue_release: { parameters: [HANDLE_TYPE, "u32"], result: "void" },
  opendal_close: { parameters: [HANDLE_TYPE], result: "i32" },
  opendal_handle_count: { parameters: [], result: "f64" },
  opendal_instance: { parameters: [], result: "f64" },
  opendal_abi_version: { parameters: [], result: "u32" },
  opendal_services: { parameters: ["buffer", "u32"], result: "u32" },
  ...CALL_SYMBOLS,
  opendal_log_pending: { parameters: [HANDLE_TYPE], result: "u32" },
  opendal_log_drain: {
    parameters: [HANDLE_TYPE, "buffer", "u32"],
    result: "i32",
  },
} as const;

/** The loaded library's symbols. */
export type Symbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

// Optional: a library built before ABI versions has none, and must still get
// a clear error rather than a failed load.
const ABI_SYMBOLS = {
  opendal_abi_version: { parameters: [], result: "u32", optional: true },
} as const;

/**
 * The ABI version of the library at `path` (`undefined` for a library too
 * old to report one). Only this symbol is looked up: the others may not
 * match this module's table.
 */
export function libraryAbi(path: string): number | undefined {
  return dlopen(path, ABI_SYMBOLS).symbols.opendal_abi_version?.();
}

/** The symbols of the library at `path`, whose ABI version matches this table. */
export function librarySymbols(path: string): Symbols {
  return dlopen(path, SYMBOLS).symbols;
}

/** Opens the library at `path`, or explains exactly how to get one. */
function dlopen<S extends Deno.ForeignLibraryInterface>(
  path: string,
  symbols: S,
): Deno.DynamicLibrary<S> {
  try {
    return Deno.dlopen(path, symbols);
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) {
      throw new Deno.errors.NotCapable(
        `@opendal/core needs FFI access to ${path}: run with --allow-ffi (or --allow-ffi=${path})`,
      );
    }
    // Deno says "Could not open library: Could not open library: <path>:
    // <why>"; the path is named once already.
    const why = (e as Error).message.split(`${path}: `).at(-1);
    throw new Error(
      [
        `@opendal/core could not load its native library ${path}: ${why}`,
        "Build it from a checkout of the repository with `deno task build`",
        "(needs Rust: `cargo build --release` in rust/), or point",
        "OPENDAL_DENO_LIB at a library you built (and allow reading it with --allow-env=OPENDAL_DENO_LIB).",
      ].join("\n"),
    );
  }
}
