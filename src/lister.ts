/**
 * Listing: entries stream in batches from a native lister, which is released
 * as soon as the consumer stops (even by `break`).
 *
 * @module
 */

import type { RecordReader } from "./codec.ts";
import { NativeHandle } from "./handle.ts";
import { Entry } from "./metadata.ts";
import { lib } from "./native.ts";

/** The most entries one native call returns. */
const BATCH = 1024;

interface Batch {
  entries: Entry[];
  done: boolean;
}

function readBatch(r: RecordReader): Batch {
  const count = r.u32();
  const done = r.u32() === 1;
  const entries = new Array<Entry>(count);
  for (let i = 0; i < count; i++) entries[i] = new Entry(r);
  return { entries, done };
}

/** Streams the entries of the native lister `handle`, then releases it. */
export async function* listEntries(
  handle: number,
  path: string,
  signal?: AbortSignal,
): AsyncGenerator<Entry, void, undefined> {
  const lister = new NativeHandle(handle, "lister");
  const n = lib();
  try {
    while (true) {
      const batch = await n.async(
        (t) =>
          n.sym.opendal_lister_next(
            lister.value,
            BATCH,
            n.queue,
            t,
            n.outBuffer,
            n.out.length,
          ),
        readBatch,
        "list",
        path,
        signal,
      );
      yield* batch.entries;
      if (batch.done) return;
    }
  } finally {
    lister.close();
  }
}

/** Blocking `listEntries`. */
export function* listEntriesSync(
  handle: number,
  path: string,
): Generator<Entry, void, undefined> {
  const lister = new NativeHandle(handle, "lister");
  const n = lib();
  try {
    while (true) {
      const s = n.sym.opendal_lister_next(
        lister.value,
        BATCH,
        n.queue,
        0,
        n.outBuffer,
        n.out.length,
      );
      const batch = n.sync(s, readBatch, "list", path);
      yield* batch.entries;
      if (batch.done) return;
    }
  } finally {
    lister.close();
  }
}
