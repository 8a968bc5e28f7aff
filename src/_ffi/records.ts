/**
 * One reader per kind of result record, in one place: the TypeScript side of
 * `Record::payload` in `rust/src/output.rs` (the layouts are in the C
 * header's opening comment). Errors are read by `failure.ts`, log lines by
 * `log_sinks.ts`.
 *
 * @module
 */

import type { OperatorInfo } from "../capability.ts";
import type { Capability } from "./capability.ts";
import type { RecordReader } from "./codec.ts";
import { Entry, Metadata } from "../metadata.ts";
import { lib } from "./native.ts";
import { plainView } from "../data.ts";
import { invalidArgument } from "../errors.ts";
import type { PresignedRequest } from "../operator.ts";

/** empty: nothing. */
export const empty = (): undefined => undefined;

/** bool: `u32` 0 or 1. */
export const flag = (r: RecordReader): boolean => r.u32() === 1;

/** handle: `f64`. */
export const handle = (r: RecordReader): number => r.f64();

/** copy step: `f64` bytes the step copied, or -1 (here `null`) once complete. */
export const copyStep = (r: RecordReader): number | null => {
  const bytes = r.f64();
  return bytes < 0 ? null : bytes;
};

/** metadata: see `Metadata`'s constructor. */
export const metadata = (r: RecordReader): Metadata => new Metadata(r);

/**
 * bytes: `f64` length, `u32` inline flag. Small results follow the record in
 * `out`; larger ones are held under `ticket` and copied straight into the
 * result.
 */
export function bytes(
  r: RecordReader,
  ticket: number,
): Uint8Array<ArrayBuffer> {
  const len = r.f64();
  if (r.u32() === 1) return r.copy(len);
  const dst = new Uint8Array(len);
  lib().take(ticket, dst);
  return dst;
}

/** bytes, copied into `dst`; returns how many. */
export function bytesInto(
  r: RecordReader,
  ticket: number,
  dst: Uint8Array<ArrayBuffer>,
): number {
  const len = r.f64();
  if (r.u32() === 1) dst.set(r.view(len));
  else lib().take(ticket, dst.subarray(0, len));
  return len;
}

/**
 * bytes of `readInto`: flag 2 when the library already wrote them into the
 * caller's buffer; otherwise (a read that finished later) a bytes record,
 * copied here into `dst` (checked again: it may have been detached or
 * shrunk while the read was in flight). Returns how many.
 */
export function filled(
  r: RecordReader,
  ticket: number,
  dst: Uint8Array,
): number {
  const len = r.f64();
  const flag = r.u32();
  if (flag === 2) return len;
  const view = plainView(dst);
  if (len > view.length) {
    throw invalidArgument(
      `buffer shrank to ${view.length} bytes while ${len} bytes were being read into it`,
    );
  }
  if (flag === 1) view.set(r.view(len));
  else lib().take(ticket, view.subarray(0, len) as Uint8Array<ArrayBuffer>);
  return len;
}

/** One batch of a listing. */
export interface Batch {
  entries: Entry[];
  done: boolean;
}

/** entries: `u32` count, `u32` done, then (path, metadata) per entry. */
export function batch(r: RecordReader): Batch {
  const count = r.u32();
  const done = r.u32() === 1;
  const entries = new Array<Entry>(count);
  for (let i = 0; i < count; i++) entries[i] = new Entry(r);
  return { entries, done };
}

/**
 * info: scheme, root and name, then the capability as OpenDAL serialises it
 * (JSON, keys in camelCase, unlimited sizes `null`).
 */
export function info(r: RecordReader): OperatorInfo {
  const scheme = r.text();
  const root = r.text();
  const name = r.text();
  const capability = JSON.parse(r.text()) as Record<string, unknown>;
  for (const [key, value] of Object.entries(capability)) {
    if (value === null) capability[key] = undefined;
  }
  return {
    scheme,
    root,
    name,
    capability: Object.freeze(capability) as unknown as Capability,
  };
}

/** presigned request: method, URL, then header pairs. */
export function presigned(r: RecordReader): PresignedRequest {
  const method = r.text();
  const url = r.text();
  const headers: Record<string, string> = {};
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const k = r.text();
    headers[k] = r.text();
  }
  return { method, url, headers };
}
