/**
 * What `write` accepts, turned into bytes that can cross the boundary.
 *
 * Sizes and buffers are read through the built-in getters, never through
 * the object's own properties: a subclassed view or an own `byteLength`
 * getter could otherwise claim more bytes than it holds (and the library
 * would read past them), or run code in the middle of a call.
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

function getter(proto: object, name: PropertyKey): (this: unknown) => unknown {
  return Object.getOwnPropertyDescriptor(proto, name)!.get!;
}

const typedArray = Object.getPrototypeOf(Uint8Array.prototype);
/** The element type's name of a typed array; `undefined` for anything else. */
const typedArrayKind = getter(typedArray, Symbol.toStringTag);
const typedArrayBuffer = getter(typedArray, "buffer");
const typedArrayOffset = getter(typedArray, "byteOffset");
const typedArrayLength = getter(typedArray, "byteLength");
const dataViewBuffer = getter(DataView.prototype, "buffer");
const dataViewOffset = getter(DataView.prototype, "byteOffset");
const dataViewLength = getter(DataView.prototype, "byteLength");
const arrayBufferLength = getter(ArrayBuffer.prototype, "byteLength");
const arrayBufferDetached = getter(ArrayBuffer.prototype, "detached");
const sharedBufferLength = getter(SharedArrayBuffer.prototype, "byteLength");

/** Whether `buffer` is a real `ArrayBuffer` (a detached one counts). */
function isArrayBuffer(buffer: unknown): buffer is ArrayBuffer {
  try {
    arrayBufferLength.call(buffer);
    return true;
  } catch {
    return false;
  }
}

function isSharedArrayBuffer(buffer: unknown): buffer is SharedArrayBuffer {
  try {
    sharedBufferLength.call(buffer);
    return true;
  } catch {
    return false;
  }
}

/** Refuses a detached buffer: it would silently write (or read) nothing. */
function attached<T>(buffer: unknown, bytes: T, what = "data"): T {
  if (isArrayBuffer(buffer) && arrayBufferDetached.call(buffer)) {
    throw invalidArgument(`${what}'s ArrayBuffer is detached (transferred)`);
  }
  return bytes;
}

/**
 * Bytes of in-memory data, without copying where possible: a `Uint8Array`
 * as it is, other views as a `Uint8Array` over the same memory.
 */
export function toBytes(data: unknown): Uint8Array | ArrayBuffer {
  if (typeof data === "string") return encoder.encode(data);
  const kind = typedArrayKind.call(data);
  if (kind === "Uint8Array") {
    return attached(typedArrayBuffer.call(data), data as Uint8Array);
  }
  if (kind !== undefined || ArrayBuffer.isView(data)) {
    const [buffer, offset, length] = kind !== undefined
      ? [typedArrayBuffer, typedArrayOffset, typedArrayLength]
      : [dataViewBuffer, dataViewOffset, dataViewLength];
    const memory = buffer.call(data) as ArrayBuffer;
    return attached(
      memory,
      new Uint8Array(
        memory,
        offset.call(data) as number,
        length.call(data) as number,
      ),
    );
  }
  if (isArrayBuffer(data)) return attached(data, data);
  if (isSharedArrayBuffer(data)) return new Uint8Array(data);
  throw invalidArgument(
    "data must be a Uint8Array, ArrayBuffer, ArrayBufferView or string" +
      " (async write also takes a Blob or a ReadableStream)",
  );
}

/** How many bytes `toBytes`' result holds, by the built-in getters. */
export function byteLength(bytes: Uint8Array | ArrayBuffer): number {
  return (ArrayBuffer.isView(bytes)
    ? typedArrayLength.call(bytes)
    : arrayBufferLength.call(bytes)) as number;
}

/**
 * The caller's buffer for `readInto`, checked: a `Uint8Array` (over an
 * `ArrayBuffer` or a `SharedArrayBuffer`) that is not detached. A detached
 * one would silently read nothing.
 */
export function fillable(buffer: unknown): Uint8Array {
  if (typedArrayKind.call(buffer) !== "Uint8Array") {
    throw invalidArgument(
      `buffer must be a Uint8Array, got ${describe(buffer)}`,
    );
  }
  return attached(
    typedArrayBuffer.call(buffer),
    buffer as Uint8Array,
    "buffer",
  );
}

/** How many bytes a `Uint8Array` holds, by the built-in getter. */
export function viewLength(view: Uint8Array): number {
  return typedArrayLength.call(view) as number;
}

/**
 * A plain `Uint8Array` over the same memory as `view` (built-in getters
 * only: a subclass's own `byteLength` or `subarray` never runs).
 */
export function plainView(view: Uint8Array): Uint8Array {
  const buffer = typedArrayBuffer.call(view) as ArrayBuffer;
  attached(buffer, view, "buffer");
  return new Uint8Array(
    buffer,
    typedArrayOffset.call(view) as number,
    typedArrayLength.call(view) as number,
  );
}

function describe(value: unknown): string {
  if (value === null) return "null";
  const kind = typedArrayKind.call(value);
  if (kind !== undefined) return `a ${kind}`;
  if (typeof value !== "object") return typeof value;
  return Object.prototype.toString.call(value).slice(8, -1);
}
