/**
 * One function per native operation: each makes its FFI call with the shared
 * input, queue and output buffer, for a ticket (0 blocks, anything else
 * submits). Keeping one symbol per call site keeps Deno's FFI fast path, and
 * lets every async method and its `*Sync` twin share the call. The uniform
 * operations' helpers are generated (`_ffi/operations.ts`); the others are
 * here.
 *
 * @module
 */

import type { InputWriter } from "./codec.ts";
import { byteLength } from "../data.ts";
import type { Native } from "./native.ts";

export * from "./operations.ts";

/** Writes `data` (copied once, natively, before this returns). */
export function write(
  n: Native,
  op: number,
  i: InputWriter,
  data: Uint8Array | ArrayBuffer,
  ticket: number,
): number {
  return n.sym.opendal_operator_write(
    op,
    i.buffer,
    i.length,
    data,
    byteLength(data),
    n.queue,
    ticket,
    n.outBuffer,
    n.out.length,
  );
}

/** Checks the service. */
export function check(n: Native, op: number, ticket: number): number {
  return n.sym.opendal_operator_check(
    op,
    n.queue,
    ticket,
    n.outBuffer,
    n.out.length,
  );
}
