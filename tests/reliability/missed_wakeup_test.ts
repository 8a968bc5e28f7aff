/**
 * Deno can miss the wake-up of a thread-safe `Deno.UnsafeCallback` call: its
 * event loop checks for calls queued by other threads before it registers to
 * be woken, so a call queued in between waits for the next wake-up, which in
 * a script with nothing else to do never comes (`src/_ffi/loop_waker.ts`).
 * The module's notifier thread calls back that way, so the module holds a
 * `LoopWaker` while work is pending.
 *
 * Measured with `scripts/missed_wakeup.ts` (Deno 2.9.6, a 2-core VM, runs
 * of 20 000 calls a few microseconds apart): without the waker, 6 runs of 80
 * hung; with it, none of 120 (24 calls ran over 5 ms late). This test makes
 * 20 such runs with the waker, each in its own process under a hard time
 * limit: were the waker to stop working, at least one would hang about four
 * times in five.
 */

import assert from "node:assert/strict";
import { run, script } from "./subprocess.ts";

const here = decodeURIComponent(new URL(".", import.meta.url).pathname);
const RUNS = 20;
const CALLS = 20_000;

/** Builds the helper library that calls back from a thread of Deno's. */
async function buildHelper(dir: string): Promise<string> {
  const out = `${dir}/callback_thread.so`;
  const cc = await new Deno.Command("cc", {
    args: [
      "-O2",
      "-shared",
      "-fPIC",
      "-Wall",
      "-Wextra",
      "-Werror",
      "-o",
      out,
      `${here}native/callback_thread.c`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(cc.success, new TextDecoder().decode(cc.stderr));
  return out;
}

Deno.test(`a thread-safe call whose wake-up Deno misses still runs (${RUNS} × ${CALLS} calls)`, async () => {
  const dir = await Deno.makeTempDir({ prefix: "opendal-wakeup-" });
  try {
    const helper = await buildHelper(dir);
    let late = 0;
    for (let seed = 1; seed <= RUNS; seed++) {
      const finished = await run(script("missed_wakeup.ts"), {
        flags: ["--allow-ffi"],
        args: [helper, String(CALLS), "4000", String(seed), "waker"],
        timeoutMs: 20_000,
      });
      assert.equal(finished.timedOut, false, `run ${seed} hung`);
      assert.equal(finished.code, 0, finished.stderr);
      const [word, calls, slow] = finished.stdout.trim().split(" ");
      assert.deepEqual([word, Number(calls)], ["done", CALLS]);
      late += Number(slow);
    }
    console.log(`calls over 5 ms (missed wake-ups the waker ran): ${late}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
