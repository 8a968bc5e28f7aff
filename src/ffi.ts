/**
 * The FFI symbol table of the native library and how it is found.
 *
 * Library location (decided by `loader.ts` when the module is imported),
 * first match wins:
 * 1. `OPENDAL_DENO_LIB`: the path of a library you built yourself;
 * 2. the local build, `rust/target/release/` next to this module (what
 *    `deno task build` produces), when loaded from a checkout;
 * 3. the per-version download cache (`<cache>/opendal-deno/<version>/`),
 *    when its sha256 matches the one pinned in `checksums.json`;
 * 4. a download from the release (`OPENDAL_DENO_LIB_URL` overrides the base
 *    URL), verified against that sha256, then cached.
 *
 * @module
 */

import { libraryPath } from "./loader.ts";

/** A byte buffer, as the `"buffer"` FFI type takes it. */
type Buf = "buffer";

// Every operation shares this tail: queue, ticket, out, out_cap.
const TAIL = ["u32", "u32", "buffer", "u32"] as const;
const OPERATION = {
  parameters: ["u32", "buffer", "u32", ...TAIL],
  result: "i32",
} as const;

/** Every symbol the module uses. */
export const SYMBOLS = {
  opendal_queue_new: { parameters: [], result: "u32" },
  opendal_queue_wait: {
    parameters: ["u32", "buffer" as Buf, "u32", "i32"],
    result: "u32",
    nonblocking: true,
  },
  opendal_queue_outcome: {
    parameters: ["u32", "u32", "buffer", "u32"],
    result: "i32",
  },
  opendal_queue_take: {
    parameters: ["u32", "u32", "buffer", "f64"],
    result: "i32",
  },
  opendal_queue_cancel: { parameters: ["u32", "u32"], result: "i32" },
  opendal_queue_release: { parameters: ["u32", "u32"], result: "void" },
  opendal_close: { parameters: ["u32"], result: "i32" },
  opendal_handle_count: { parameters: [], result: "f64" },
  opendal_operator_new: {
    parameters: ["buffer", "u32", ...TAIL],
    result: "i32",
  },
  opendal_operator_info: { parameters: ["u32", ...TAIL], result: "i32" },
  opendal_operator_check: { parameters: ["u32", ...TAIL], result: "i32" },
  opendal_operator_stat: OPERATION,
  opendal_operator_exists: OPERATION,
  opendal_operator_read: OPERATION,
  opendal_operator_create_dir: OPERATION,
  opendal_operator_delete: OPERATION,
  opendal_operator_remove_all: OPERATION,
  opendal_operator_copy: OPERATION,
  opendal_operator_rename: OPERATION,
  opendal_operator_reader: OPERATION,
  opendal_operator_writer: OPERATION,
  opendal_operator_lister: OPERATION,
  opendal_operator_presign: {
    parameters: ["u32", "u32", "buffer", "u32", ...TAIL],
    result: "i32",
  },
  opendal_operator_copy_to: {
    parameters: ["u32", "u32", "buffer", "u32", ...TAIL],
    result: "i32",
  },
  opendal_operator_write: {
    parameters: ["u32", "buffer", "u32", "buffer", "f64", ...TAIL],
    result: "i32",
  },
  opendal_reader_read: {
    parameters: ["u32", "f64", "f64", ...TAIL],
    result: "i32",
  },
  opendal_writer_write: {
    parameters: ["u32", "buffer", "f64", ...TAIL],
    result: "i32",
  },
  opendal_writer_close: { parameters: ["u32", ...TAIL], result: "i32" },
  opendal_writer_abort: { parameters: ["u32", ...TAIL], result: "i32" },
  opendal_layer_new: {
    parameters: ["u32", "buffer", "u32", ...TAIL],
    result: "i32",
  },
  opendal_operator_layer: {
    parameters: ["u32", "u32", ...TAIL],
    result: "i32",
  },
  opendal_log_pending: { parameters: [], result: "u32" },
  opendal_log_drain: { parameters: ["buffer", "u32"], result: "i32" },
  opendal_lister_next: {
    parameters: ["u32", "u32", ...TAIL],
    result: "i32",
  },
} as const;

/** The loaded library's symbols. */
export type Symbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/** Opens the native library, or explains exactly how to get one. */
export function openLibrary(): Symbols {
  const path = libraryPath();
  try {
    return Deno.dlopen(path, SYMBOLS).symbols;
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
