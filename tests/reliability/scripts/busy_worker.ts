/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
/**
 * The body of one Worker of `workers.ts`: told a directory and a mode, it
 * makes an operator of every kind of object and, when `busy`, leaves large
 * reads in flight and an upload unclosed, then reports; when `tidy`, it
 * closes everything and ends itself.
 */

import { FsOperator } from "../../../services/fs.ts";
import { MemoryOperator } from "../../../services/memory.ts";
import { RetryLayer } from "../../../layers/retry.ts";
import { LoggingLayer } from "../../../layers/logging.ts";

interface Task {
  dir: string;
  id: number;
  mode: "busy" | "tidy";
  files: number;
}

/**
 * What a busy Worker made, kept reachable until it is terminated: the
 * collector must not release any of it first, or the parent's count of
 * objects made would depend on when the collector ran.
 */
const kept: unknown[] = [];

self.onmessage = async (e: MessageEvent<Task>) => {
  const { dir, id, mode, files } = e.data;
  // Staged writes: an upload that is never closed leaves no file behind.
  const fs = new FsOperator({ root: dir, atomicWriteDir: `${dir}/.staged` });
  const retry = new RetryLayer({ maxTimes: 2 });
  const logging = new LoggingLayer({ sink: () => {} });
  const retried = fs.layer(retry);
  const logged = retried.layer(logging);
  const memory = new MemoryOperator();
  await memory.write("m", "x");
  const reader = await logged.reader("big-0");
  const writer = await fs.writer(`uncommitted-${id}`);
  await writer.write(new Uint8Array(1024));
  const listing = memory.list("")[Symbol.asyncIterator]();
  await listing.next();
  if (mode === "busy") {
    kept.push(fs, retry, logging, retried, logged, memory, reader, writer);
    kept.push(listing);
    // Whole-file reads of several MiB: in flight when the Worker goes.
    for (let i = 0; i < files; i++) logged.read(`big-${i}`).catch(() => {});
    reader.read(0, 1 << 20).catch(() => {});
    postMessage("busy");
    return;
  }
  await listing.return?.();
  await writer.abort();
  reader.close();
  memory.close();
  logged.close();
  fs.close();
  postMessage("tidy");
  self.close();
};
