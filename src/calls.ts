/**
 * One function per native operation: each makes its FFI call with the shared
 * input, queue and output buffer, for a ticket (0 blocks, anything else
 * submits). Keeping one symbol per call site keeps Deno's FFI fast path, and
 * lets every async method and its `*Sync` twin share the call.
 *
 * @module
 */

import type { InputWriter } from "./codec.ts";
import { byteLength } from "./data.ts";
import type { Native } from "./native.ts";

/** A native operation on an operator handle and a call input. */
export type OperatorCall = (
  n: Native,
  op: number,
  input: InputWriter,
  ticket: number,
) => number;

export const stat: OperatorCall = (n, op, i, t) =>
  n.sym.opendal_operator_stat(
    op,
    i.buffer,
    i.length,
    n.queue,
    t,
    n.outBuffer,
    n.out.length,
  );

export const exists: OperatorCall = (n, op, i, t) =>
  n.sym.opendal_operator_exists(
    op,
    i.buffer,
    i.length,
    n.queue,
    t,
    n.outBuffer,
    n.out.length,
  );

export const read: OperatorCall = (n, op, i, t) =>
  n.sym.opendal_operator_read(
    op,
    i.buffer,
    i.length,
    n.queue,
    t,
    n.outBuffer,
    n.out.length,
  );

export const createDir: OperatorCall = (n, op, i, t) =>
  n.sym.opendal_operator_create_dir(
    op,
    i.buffer,
    i.length,
    n.queue,
    t,
    n.outBuffer,
    n.out.length,
  );

export const remove: OperatorCall = (n, op, i, t) =>
  n.sym.opendal_operator_delete(
    op,
    i.buffer,
    i.length,
    n.queue,
    t,
    n.outBuffer,
    n.out.length,
  );

export const removeAll: OperatorCall = (n, op, i, t) =>
  n.sym.opendal_operator_remove_all(
    op,
    i.buffer,
    i.length,
    n.queue,
    t,
    n.outBuffer,
    n.out.length,
  );

export const copy: OperatorCall = (n, op, i, t) =>
  n.sym.opendal_operator_copy(
    op,
    i.buffer,
    i.length,
    n.queue,
    t,
    n.outBuffer,
    n.out.length,
  );

export const rename: OperatorCall = (n, op, i, t) =>
  n.sym.opendal_operator_rename(
    op,
    i.buffer,
    i.length,
    n.queue,
    t,
    n.outBuffer,
    n.out.length,
  );

export const reader: OperatorCall = (n, op, i, t) =>
  n.sym.opendal_operator_reader(
    op,
    i.buffer,
    i.length,
    n.queue,
    t,
    n.outBuffer,
    n.out.length,
  );

export const writer: OperatorCall = (n, op, i, t) =>
  n.sym.opendal_operator_writer(
    op,
    i.buffer,
    i.length,
    n.queue,
    t,
    n.outBuffer,
    n.out.length,
  );

export const lister: OperatorCall = (n, op, i, t) =>
  n.sym.opendal_operator_lister(
    op,
    i.buffer,
    i.length,
    n.queue,
    t,
    n.outBuffer,
    n.out.length,
  );

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
