/**
 * Copying one file between any two services: inside the library when no one
 * watches, through JavaScript with a progress bar when someone does.
 *
 * @module
 */

import type { Operator } from "../operator.ts";
import type { WriteOptions } from "../options.ts";
import { Progress } from "./progress.ts";

const MiB = 1024 * 1024;

/** The size of each read while streaming (bounded memory: a few of these). */
export const READ_CHUNK = 8 * MiB;

/** Parts uploaded at once to services that write in parts (S3, GCS, Azure, ...). */
const WRITE_CONCURRENCY = 4;

/** Writer options for `op`: large concurrent parts where the service writes in parts. */
export function writeOptions(op: Operator): WriteOptions {
  const cap = op.capability();
  if (!cap.writeCanMulti) return {};
  let chunk = Math.max(READ_CHUNK, cap.writeMultiMinSize ?? 0);
  if (cap.writeMultiMaxSize !== undefined) {
    chunk = Math.min(chunk, cap.writeMultiMaxSize);
  }
  return { chunk, concurrent: WRITE_CONCURRENCY };
}

/** One file to copy. */
export interface CopyJob {
  readonly from: Operator;
  readonly fromPath: string;
  readonly to: Operator;
  readonly toPath: string;
  /** The source's size, if known (for the percentage). */
  readonly size?: number;
  /** What the progress bar calls it. */
  readonly label: string;
}

/**
 * Copies one file and resolves to the bytes copied. With `progress`, the
 * bytes stream through JavaScript (reader to writer, a bar on stderr);
 * without, a copy within one service is the service's own copy, and
 * between services `copyTo` streams inside the library. An aborted `signal`
 * stops it and discards the upload where the service stages uploads.
 */
export async function copyFile(
  job: CopyJob,
  progress: boolean,
  signal?: AbortSignal,
): Promise<number> {
  const { from, fromPath, to, toPath } = job;
  if (progress) return await streamWithProgress(job, signal);
  if (from === to && from.capability().copy) {
    await from.copy(fromPath, toPath, { signal });
    return job.size ?? (await to.stat(toPath)).contentLength;
  }
  const meta = await from.copyTo(fromPath, to, toPath, {
    ...writeOptions(to),
    signal,
  });
  return job.size ?? meta.contentLength;
}

async function streamWithProgress(
  job: CopyJob,
  signal?: AbortSignal,
): Promise<number> {
  const bar = new Progress(job.label, job.size);
  await using reader = await job.from.reader(job.fromPath, {
    chunk: READ_CHUNK,
    signal,
  });
  const writer = await job.to.writer(job.toPath, writeOptions(job.to));
  try {
    for await (const chunk of reader.readable) {
      signal?.throwIfAborted();
      await writer.write(chunk, { signal });
      bar.add(chunk.byteLength);
    }
    await writer.close({ signal });
  } catch (e) {
    await writer.abort().catch(() => {});
    throw e;
  } finally {
    bar.done();
  }
  return bar.bytes;
}
