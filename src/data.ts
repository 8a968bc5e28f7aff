/**
 * What `write` accepts, turned into bytes that can cross the boundary.
 *
 * @module
 */

import { invalidArgument } from "./errors.ts";

/** Everything `write` accepts. */
export type WriteData =
  | Uint8Array
  | ArrayBuffer
  | ArrayBufferView
  | string
  | Blob
  | ReadableStream<Uint8Array>;

/** Data that is already in memory. */
export type SyncWriteData = Uint8Array | ArrayBuffer | ArrayBufferView | string;

const encoder = new TextEncoder();

/** Bytes of in-memory data, without copying where possible. */
export function toBytes(data: unknown): Uint8Array | ArrayBuffer {
  if (data instanceof Uint8Array || data instanceof ArrayBuffer) return data;
  if (typeof data === "string") return encoder.encode(data);
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (data instanceof SharedArrayBuffer) return new Uint8Array(data);
  throw invalidArgument(
    "data must be a Uint8Array, ArrayBuffer, ArrayBufferView or string" +
      " (async write also takes a Blob or a ReadableStream)",
  );
}
