/**
 * Copying one file between any two services: inside the library when no one
 * watches, through JavaScript with a progress bar when someone does, and
 * between a service and stdin or stdout.
 *
 * @module
 */

import type { Operator } from "../operator.ts";
import type { CopyOptions, WriteOptions } from "../options.ts";
import { writeAll } from "./format.ts";
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

/**
 * Copy options for a copy within `op` that reports progress: parts of
 * `READ_CHUNK` where the service copies in parts, so the bar advances.
 */
function copyInParts(op: Operator): CopyOptions {
  const cap = op.capability();
  if (!cap.copyCanMulti) return {};
  let chunk = Math.max(READ_CHUNK, cap.copyMultiMinSize ?? 0);
  if (cap.copyMultiMaxSize !== undefined) {
    chunk = Math.min(chunk, cap.copyMultiMaxSize);
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
  /** The content type to store, when given (else the target may guess one). */
  readonly contentType?: string;
}

/** The write options of `job`'s target. */
function targetOptions(
  job: Pick<CopyJob, "to" | "contentType">,
  signal?: AbortSignal,
): WriteOptions {
  return {
    ...writeOptions(job.to),
    ...(job.contentType === undefined ? {} : { contentType: job.contentType }),
    signal,
  };
}

/**
 * Copies one file and resolves to the bytes copied. A copy within one
 * service is the service's own copy: with `progress`, its bar advances per
 * part where the service copies in parts (S3, Azure Blob, GCS), and fills
 * when the copy completes. Between services, `copyTo` streams inside the
 * library, or with `progress` the bytes stream through JavaScript (reader to
 * writer, a bar on stderr). An aborted `signal` stops it and discards the
 * upload or the parts copied where the service stages them.
 */
export async function copyFile(
  job: CopyJob,
  progress: boolean,
  signal?: AbortSignal,
): Promise<number> {
  const { from, fromPath, to, toPath } = job;
  if (from === to && from.capability().copy && job.contentType === undefined) {
    const bar = progress ? new Progress(job.label, job.size) : undefined;
    try {
      await from.copy(fromPath, toPath, {
        signal,
        ...(bar && {
          ...copyInParts(from),
          onProgress: ({ bytes }) => bar.add(bytes),
        }),
      });
      const size = job.size ?? (await to.stat(toPath)).contentLength;
      // A copy in one request reports no parts: it is whole once it returns.
      if (bar && bar.bytes < size) bar.add(size - bar.bytes);
      return size;
    } finally {
      bar?.done();
    }
  }
  if (progress) {
    await using reader = await from.reader(fromPath, {
      chunk: READ_CHUNK,
      signal,
    });
    const bar = new Progress(job.label, job.size);
    return await streamInto(reader.readable, job, bar, signal);
  }
  const meta = await from.copyTo(
    fromPath,
    to,
    toPath,
    targetOptions(job, signal),
  );
  return job.size ?? meta.contentLength;
}

/**
 * Writes `source` to `job`'s target through a writer, counting on `bar`;
 * resolves to the bytes written. A failure discards the upload.
 */
export async function streamInto(
  source: ReadableStream<Uint8Array>,
  job: Pick<CopyJob, "to" | "toPath" | "contentType">,
  bar: Progress | undefined,
  signal?: AbortSignal,
): Promise<number> {
  const writer = await job.to.writer(job.toPath, targetOptions(job));
  let bytes = 0;
  try {
    for await (const chunk of source) {
      signal?.throwIfAborted();
      await writer.write(chunk, { signal });
      bytes += chunk.byteLength;
      bar?.add(chunk.byteLength);
    }
    await writer.close({ signal });
  } catch (e) {
    await writer.abort().catch(() => {});
    throw e;
  } finally {
    bar?.done();
  }
  return bytes;
}

/** Streams the file `path` of `op` to stdout, in `READ_CHUNK` reads. */
export async function toStdout(
  op: Operator,
  path: string,
  signal?: AbortSignal,
): Promise<void> {
  await using reader = await op.reader(path, { chunk: READ_CHUNK, signal });
  for await (const chunk of reader.readable) {
    signal?.throwIfAborted();
    await writeAll(Deno.stdout, chunk);
  }
}
