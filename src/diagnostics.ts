/**
 * Counters for leak checks (how many native objects are alive, how many
 * asynchronous calls wait for the library), which native library this
 * copy of the module uses, and the services it was built with.
 *
 * @module
 */

import { lib, type Native } from "./_ffi/native.ts";
import type { LibraryInfo } from "./shared.ts";

export type { LibraryInfo };

/** What `diagnostics()` reports. */
export interface Diagnostics {
  /** Native objects alive in the library, for every isolate of the process (operators, readers, writers, listers, layers, queues). */
  handles: number;
  /** Asynchronous calls of this module copy still waiting for the library. */
  pending: number;
  /** The native library this module copy uses: compatible copies in one isolate share one. */
  library: LibraryInfo;
  /** The handle of this module copy's completion queue. */
  queue: number;
  /**
   * The services the library was built with, sorted (`["fs", "memory",
   * "s3"]` for a library built with `deno task build --services fs,s3`).
   * An operator of any other service is `Unsupported`.
   */
  services: string[];
}

/**
 * Native resource counters, for tests that check nothing leaks: after
 * everything is closed (or collected), `handles` returns to its baseline.
 *
 * @example
 * ```ts
 * import { diagnostics } from "@opendal/core";
 * import { MemoryOperator } from "@opendal/core/services/memory";
 *
 * const before = diagnostics().handles;
 * const op = new MemoryOperator();
 * console.log(diagnostics().handles - before); // 1
 * op.close();
 * console.log(diagnostics().handles - before); // 0
 * console.log(diagnostics().services.includes("memory")); // true
 * ```
 */
export function diagnostics(): Diagnostics {
  const n = lib();
  return {
    handles: n.sym.opendal_handle_count(),
    pending: n.pending,
    library: n.library,
    queue: n.queue,
    services: services(n),
  };
}

/** The names the library writes, comma-separated, into a buffer of ours. */
function services(n: Native): string[] {
  let buffer = new Uint8Array(1024);
  let length = n.sym.opendal_services(buffer, buffer.length);
  if (length > buffer.length) {
    buffer = new Uint8Array(length);
    length = n.sym.opendal_services(buffer, buffer.length);
  }
  return new TextDecoder().decode(buffer.subarray(0, length)).split(",");
}
