/**
 * Every numeric option is bounded by what it can mean, and the bound is in
 * the error: a huge `concurrent` (on write, read, reader and writer) used to
 * abort the process on a failed allocation, which no error handling can
 * catch. Input OpenDAL asserts on is refused first, and a panic that is
 * caught prints nothing. The attempts run in a process of their own.
 */

import assert from "node:assert/strict";
import { LIB, run, script } from "./subprocess.ts";

interface Attempt {
  what: string;
  kind: string;
  message: string;
}

Deno.test("out-of-range numbers and oversized options fail cleanly, in a process that survives", async () => {
  const dir = await Deno.makeTempDir({ prefix: "opendal-bounds-" });
  try {
    const finished = await run(script("bounds.ts"), {
      flags: [`--allow-ffi=${LIB}`],
      args: [dir],
      timeoutMs: 60_000,
    });
    assert.equal(finished.timedOut, false, "the script hung");
    assert.equal(finished.code, 0, `exit ${finished.code}\n${finished.stderr}`);
    assert.equal(finished.stderr, "", "nothing on stderr (no panic output)");
    const attempts = new Map<string, Attempt>();
    for (const line of finished.stdout.trim().split("\n")) {
      const a = JSON.parse(line) as Attempt;
      attempts.set(a.what, a);
    }
    assert.ok(attempts.has("done"), finished.stdout);
    const fails = (what: string, bound: RegExp) => {
      const a = attempts.get(what);
      assert.ok(a, `${what} did not run`);
      assert.equal(a.kind, "ConfigInvalid", `${what}: ${a.message}`);
      assert.match(a.message, bound, what);
    };
    const ok = (what: string) => {
      const a = attempts.get(what);
      assert.equal(a?.kind, "ok", `${what}: ${a?.message}`);
    };
    for (const n of [1e12, 2 ** 53, 1025]) {
      for (
        const call of [
          "write",
          "writeSync",
          "read",
          "readSync",
          "reader",
          "writer",
        ]
      ) {
        fails(
          `${call} concurrent ${n}`,
          /concurrent must be between 1 and 1024/,
        );
      }
    }
    fails(
      "read chunk 5 GiB + 1",
      /chunk must be between 1 and 5368709120 bytes \(5 GiB\)/,
    );
    fails("write chunk 2^53", /5 GiB/);
    ok("write concurrent 1024 chunk 5 GiB");
    ok("read concurrent 1024 chunk 1");
    for (
      const what of [
        "permits 2^53",
        "maxTimes 2^53",
        "minDelay 1e15",
        "timeout 1e15",
        "bandwidth 2^32 - 1",
      ]
    ) {
      ok(what);
    }
    fails("bandwidth 2^32", /bandwidth must be at most 4294967295/);
    fails("userMetadata 70 KiB", /must fit in 64 KiB/);
    fails("ifMatch 70 KiB", /must fit in 64 KiB/);
    fails("startAfter 70 KiB", /must fit in 64 KiB/);
    const pool = attempts.get("redis pool of 0");
    assert.equal(pool?.kind, "Unexpected", pool?.message);
    assert.match(
      pool!.message,
      /internal panic .*max_size must be greater than zero/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
