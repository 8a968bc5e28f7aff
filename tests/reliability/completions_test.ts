/**
 * The two completion paths, each case in its own process under a hard time
 * limit: a bare `--allow-ffi` gets the library's notifier thread calling a
 * thread-safe `Deno.UnsafeCallback` (`src/_ffi/notifier.ts`), and
 * `--allow-ffi=<library path>`, where Deno refuses the callback, the queue
 * with one pending `nonblocking` wait. Both must settle thousands of
 * operations in flight, sync calls made from inside a completion, operators
 * closed under work, aborts, a closed queue and Workers that end mid-read,
 * and never crash or hang. (`exit_test.ts` runs its exit cases under both.)
 */

import assert from "node:assert/strict";
import { lastJson, LIB, run, script } from "./subprocess.ts";

const PATHS = {
  callback: "--allow-ffi",
  queue: `--allow-ffi=${LIB}`,
} as const;

const repo = decodeURIComponent(new URL("../../", import.meta.url).pathname);

async function completions(
  path: keyof typeof PATHS,
  which: string,
): Promise<Record<string, unknown>> {
  const dir = await Deno.makeTempDir({ prefix: "opendal-completions-" });
  try {
    const finished = await run(script("completions.ts"), {
      // Workers read their module files.
      flags: [PATHS[path], `--allow-read=${repo},${dir}`, "--allow-env"],
      args: [dir, which],
      timeoutMs: 90_000,
    });
    assert.equal(finished.timedOut, false, `${which} hung`);
    assert.equal(finished.code, 0, finished.stderr);
    assert.doesNotMatch(finished.stderr, /Illegal|panic|error/i);
    const result = lastJson<Record<string, unknown>>(finished);
    assert.equal(result.path, path, "the path the permissions give");
    return result;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

for (const path of ["callback", "queue"] as const) {
  Deno.test(`${path}: 5 000 writes, then 10 000 stats and reads in flight at once`, async () => {
    const r = await completions(path, "many");
    assert.deepEqual([r.stats, r.texts], [true, true]);
  });

  Deno.test(`${path}: sync calls from inside completions neither deadlock nor misread`, async () => {
    assert.equal((await completions(path, "sync-inside")).ok, true);
  });

  Deno.test(`${path}: operators closed under work in flight settle it all`, async () => {
    const r = await completions(path, "close-operators");
    assert.equal(r.settled, 1000);
    assert.deepEqual(r.kinds, ["ok"]);
  });

  Deno.test(`${path}: aborted reads settle, and their tickets come back`, async () => {
    const r = await completions(path, "abort");
    assert.equal(r.total, 200);
    assert.equal(r.again, 1 << 20);
  });

  Deno.test(`${path}: a queue closed under pending work fails it instead of hanging`, async () => {
    const r = await completions(path, "closed-queue");
    for (const o of r.outcomes as string[]) {
      assert.ok(o === "read" || o === "failed", o);
    }
  });

  Deno.test(`${path}: Workers terminated mid-read use the queue, and this thread goes on`, async () => {
    const r = await completions(path, "workers");
    assert.equal(r.mine, 500);
    for (const w of r.workers as { allowed: boolean; path: string }[]) {
      assert.equal(w.allowed, false, "a Worker never takes callbacks");
      assert.notEqual(w.path, "callback");
    }
  });
}

for (const failure of ["throw", "reject", "exit"]) {
  Deno.test(`callback: a script ending (${failure}) with reads in flight exits as asked, never crashes`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "opendal-completions-" });
    try {
      for (let round = 0; round < 3; round++) {
        const finished = await run(script("completions.ts"), {
          flags: ["--allow-ffi", `--allow-read=${dir}`, "--allow-env"],
          args: [dir, failure],
          timeoutMs: 60_000,
        });
        assert.equal(finished.timedOut, false, "hung");
        // Before the notifier was stopped on `error`/`unhandledrejection`,
        // a read finishing after Deno dropped the isolate crashed it (139).
        if (failure === "exit") {
          assert.equal(finished.code, 3, finished.stderr);
        } else {
          assert.equal(finished.code, 1, finished.stderr);
          assert.match(finished.stderr, /failed on purpose/);
        }
        assert.equal(lastJson<{ path: string }>(finished).path, "callback");
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
