/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
/**
 * A Worker of `completions.ts workers`: works, then starts reads of a
 * large file and reports which completion path it may and does use; it is
 * terminated with the reads still in flight.
 */

import { FsOperator } from "../../../services/fs.ts";
import { lib } from "../../../src/_ffi/native.ts";
import { callbacksAllowed } from "../../../src/_ffi/notifier.ts";

self.onmessage = async (e: MessageEvent<string>) => {
  const fs = new FsOperator({ root: e.data });
  await Promise.all(Array.from({ length: 20 }, () => fs.stat("big")));
  for (let i = 0; i < 8; i++) fs.read("big");
  self.postMessage({
    allowed: callbacksAllowed(),
    path: lib().completions ?? "inline only",
  });
};
