/**
 * A thread of a library calls a thread-safe callback `n` times, as the
 * module's notifier thread does; prints "done <calls> <late>" once it ended,
 * `late` being the calls that took over 5 ms to return.
 * `deno run --allow-ffi missed_wakeup.ts <helper.so> <n> <max_ns> <seed> waker|bare`
 * With `bare`, a call whose wake-up Deno misses hangs the script for good;
 * with `waker`, the module's `LoopWaker` runs it late.
 */

import { LoopWaker } from "../../../src/_ffi/loop_waker.ts";

const [helper, n, maxNs, seed, mode] = Deno.args;
const lib = Deno.dlopen(helper, {
  callback_thread_start: {
    parameters: ["function", "u32", "u32", "u32"],
    result: "i32",
  },
  // Only called after the last call: nothing else keeps the loop awake.
  callback_thread_join: { parameters: [], result: "u32", nonblocking: true },
});
const waker = new LoopWaker();
const total = Number(n);
let calls = 0;
const call = new Deno.UnsafeCallback({ parameters: [], result: "void" }, () => {
  // A settled promise, as each collected completion queues.
  if (++calls < total) Promise.resolve().then(() => {});
  else queueMicrotask(finish);
});
async function finish() {
  const late = await lib.symbols.callback_thread_join();
  call.unref();
  waker.release();
  console.log(`done ${calls} ${late}`);
}
// Kept alive by the callback, as the module's notifier keeps a script.
call.ref();
if (mode === "waker") waker.hold();
const started = lib.symbols.callback_thread_start(
  call.pointer,
  total,
  Number(maxNs),
  Number(seed),
);
if (started !== 0) throw new Error("the helper's thread did not start");
