/**
 * Least privilege: the module runs with `--allow-ffi=<absolute path of the
 * library>` and nothing else, and without it the error names the flag.
 *
 * What Deno's permission model does NOT cover, pinned down here so the
 * README stays honest: native code is outside Deno's checks. The library
 * reads and writes files and opens sockets itself, so `--allow-read`,
 * `--allow-write` and `--allow-net` neither grant nor restrict what an
 * operator does; granting FFI access to the library is granting it all of
 * that. The tests show fs writing outside any `--allow-write` directory and
 * http reaching a server without `--allow-net`.
 */

import assert from "node:assert/strict";
import { lastJson, LIB, run, script } from "./subprocess.ts";

const FFI = `--allow-ffi=${LIB}`;

interface OpsResult {
  sync: string;
  async: string;
  chunks: string;
  listed: string[];
}

function assertRoundTrip(result: OpsResult): void {
  assert.deepEqual(result, {
    sync: "written sync",
    async: "written async",
    chunks: "ab",
    listed: ["dir/async.txt", "dir/chunks.txt"],
  });
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "opendal-perm-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("memory works with --allow-ffi=<library path> alone", async () => {
  const finished = await run(script("ops.ts"), {
    flags: [FFI],
    args: ["memory"],
  });
  assert.equal(finished.code, 0, finished.stderr);
  assertRoundTrip(lastJson(finished));
});

Deno.test("fs works with --allow-ffi=<library path> and read/write of its root", async () => {
  await withDir(async (dir) => {
    const finished = await run(script("ops.ts"), {
      flags: [FFI, `--allow-read=${dir}`, `--allow-write=${dir}`],
      args: ["fs", dir],
    });
    assert.equal(finished.code, 0, finished.stderr);
    assertRoundTrip(lastJson(finished));
    assert.equal(await Deno.readTextFile(`${dir}/sync.txt`), "written sync");
  });
});

Deno.test("native I/O is outside Deno's checks: fs writes with no --allow-write at all", async () => {
  await withDir(async (dir) => {
    const finished = await run(script("ops.ts"), {
      flags: [FFI],
      args: ["fs", dir],
    });
    assert.equal(finished.code, 0, finished.stderr);
    assertRoundTrip(lastJson(finished));
    assert.equal(
      await Deno.readTextFile(`${dir}/dir/async.txt`),
      "written async",
    );
  });
});

Deno.test("native I/O is outside Deno's checks: http needs no --allow-net", async () => {
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response("served without --allow-net"),
  );
  const finished = await run(script("ops.ts"), {
    flags: [FFI],
    args: ["http", `http://127.0.0.1:${server.addr.port}`],
  });
  assert.equal(finished.code, 0, finished.stderr);
  assert.deepEqual(lastJson(finished), {
    served: "served without --allow-net",
  });
});

for (
  const [what, flags] of [
    ["no permissions", []],
    ["FFI access to another library", ["--allow-ffi=/nonexistent/libother.so"]],
  ] as const
) {
  Deno.test(`with ${what}, the error names --allow-ffi and the library path`, async () => {
    const finished = await run(script("ops.ts"), {
      flags: [...flags],
      args: ["memory"],
    });
    assert.notEqual(finished.code, 0);
    assert.match(finished.stderr, /NotCapable/);
    assert.ok(finished.stderr.includes(`--allow-ffi=${LIB}`), finished.stderr);
  });
}

Deno.test("OPENDAL_DENO_LIB is ignored without --allow-env: no prompt, no extra grant", async () => {
  const finished = await run(script("ops.ts"), {
    flags: [FFI],
    args: ["memory"],
    env: { OPENDAL_DENO_LIB: "/nonexistent/libopendal_deno.so" },
  });
  assert.equal(finished.code, 0, finished.stderr);
  assertRoundTrip(lastJson(finished));
});

Deno.test("a library that cannot be loaded is named once, with the reason", async () => {
  await withDir(async (dir) => {
    const bad = `${dir}/libopendal_deno.so`;
    await Deno.writeTextFile(bad, "not a library");
    const finished = await run(script("ops.ts"), {
      flags: ["--allow-ffi", "--allow-env=OPENDAL_DENO_LIB"],
      args: ["memory"],
      env: { OPENDAL_DENO_LIB: bad },
    });
    assert.notEqual(finished.code, 0);
    assert.ok(
      finished.stderr.includes(
        `could not load its native library ${bad}: file too short`,
      ),
      finished.stderr,
    );
    assert.doesNotMatch(finished.stderr, /Could not open library/);
  });
});
