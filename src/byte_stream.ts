/**
 * Byte streams over range reads: a `"bytes"` `ReadableStream` that fills the
 * buffer of each request (the caller's own, for BYOB readers) and releases
 * its source exactly once: at the end of the range, on `cancel()`, on error,
 * or when its signal aborts.
 *
 * @module
 */

import { abortError, invalidArgument } from "./errors.ts";
import { isAborted, listen, unlisten } from "./signal.ts";

/** A range of an object: `length` omitted runs to the end. */
export interface Range {
  offset: number;
  length?: number;
}

function wholeNumber(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number") {
    throw invalidArgument(`${what} must be a number, got ${typeof value}`);
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw invalidArgument(
      `${what} must be a non-negative integer, got ${value}`,
    );
  }
  return value;
}

/** The range `options` asks for, validated as every call input is. */
export function rangeOf(options: { offset?: number; length?: number }): Range {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument("options must be an object");
  }
  return {
    offset: wholeNumber(options.offset, "offset") ?? 0,
    length: wholeNumber(options.length, "length"),
  };
}

/**
 * The length of the suffix `options` asks for (the last bytes), or
 * `undefined` for a range from the start; validated as `rangeOf`.
 */
export function suffixOf(
  options: { offset?: number; length?: number; suffix?: number },
): number | undefined {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument("options must be an object");
  }
  const suffix = wholeNumber(options.suffix, "suffix");
  if (
    suffix !== undefined &&
    (options.offset !== undefined || options.length !== undefined)
  ) {
    throw invalidArgument(
      "suffix (the last bytes) cannot be combined with offset or length",
    );
  }
  return suffix;
}

/** What a byte stream reads from. */
export interface ByteSource {
  /** The size of the buffers the stream allocates for default readers. */
  chunk: number;
  range: Range;
  /** Aborting errors the stream with the abort reason. */
  signal?: AbortSignal;
  /** Fills `view` from `offset`; resolves to how many bytes it filled. */
  readInto(offset: number, view: Uint8Array<ArrayBuffer>): Promise<number>;
  /** Called once, when the stream ends, is cancelled, fails or aborts. */
  release(): void;
}

/** A `"bytes"` stream of `source.range`. */
export function byteStream(
  source: ByteSource,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  const { range, signal } = source;
  let position = range.offset;
  const end = range.length === undefined ? Infinity : position + range.length;
  let released = false;
  let onAbort: (() => void) | undefined;
  const release = (): void => {
    if (released) return;
    released = true;
    if (onAbort) unlisten(signal!, onAbort);
    source.release();
  };
  return new ReadableStream({
    type: "bytes",
    autoAllocateChunkSize: source.chunk,
    start(controller) {
      if (!signal) return;
      onAbort = () => {
        release();
        controller.error(abortError(signal));
      };
      if (isAborted(signal)) return onAbort();
      listen(signal, onAbort);
    },
    async pull(controller) {
      const request = controller.byobRequest!;
      const view = request.view as Uint8Array<ArrayBuffer>;
      const want = Math.min(view.byteLength, end - position);
      let filled = 0;
      try {
        if (want > 0) {
          filled = await source.readInto(position, view.subarray(0, want));
        }
      } catch (e) {
        release();
        throw e;
      }
      // Cancelled or aborted while the read was on its way.
      if (released) return;
      position += filled;
      if (filled === 0) {
        release();
        controller.close();
        request.respond(0);
        return;
      }
      request.respond(filled);
      // A short read is the end of the object.
      if (filled < want || position >= end) {
        release();
        controller.close();
      }
    },
    cancel: release,
  });
}
