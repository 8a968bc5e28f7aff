/**
 * `.ci/failed_tests.awk` names the tests that failed in a step's log, so the
 * gate's last lines say what failed. It reads what `deno test` and the
 * services run print: checked here against a real failing `deno test` run,
 * so a change in Deno's report format fails this test, not the gate's
 * report.
 */

import assert from "node:assert/strict";

const script = new URL("../../.ci/failed_tests.awk", import.meta.url).pathname;

/** Runs `awk -f .ci/failed_tests.awk` over `log`; returns its lines. */
async function failedTests(log: string): Promise<string[]> {
  const awk = new Deno.Command("awk", {
    args: ["-f", script],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = awk.stdin.getWriter();
  await writer.write(new TextEncoder().encode(log));
  await writer.close();
  const out = await awk.output();
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l);
}

Deno.test("failed_tests.awk names deno test failures, their service and first error line", async () => {
  // An assertion's values come on the line after its message: kept too.
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/a_test.ts`,
      [
        'Deno.test("passes", () => {});',
        'Deno.test("fails › here", () => { throw new Error("boom\\nsecond line"); });',
        'Deno.test("steps", async (t) => { await t.step("inner", () => { throw new TypeError("bad"); }); });',
        'import assert from "node:assert/strict";',
        'Deno.test("asserts", () => { assert.equal(3 + 4, 8); });',
        'Deno.test("diffs", () => { assert.equal("factor must be at least 1, got 0.5: layer", "factor must be at least 1, got 0.5"); });',
      ].join("\n"),
    );
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["test", "--no-check", "--no-config", "a_test.ts"],
      cwd: dir,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    const log = `=== azblob\n${decode(run.stdout)}${decode(run.stderr)}` +
      "=== swift\nswift: the server did not start\n";
    assert.deepEqual(await failedTests(log), [
      "[azblob] fails › here => ./a_test.ts:2:6: error: Error: boom",
      "[azblob] steps ... inner => ./a_test.ts:3:43: error: TypeError: bad",
      "[azblob] asserts => ./a_test.ts:5:6: error: AssertionError: Expected values to be strictly equal: 7 !== 8",
      "[azblob] diffs => ./a_test.ts:6:6: error: AssertionError: Expected values to be strictly equal: + 'factor must be at least 1, got 0.5: layer' - 'factor must be at least 1, got 0.5'",
      "swift: the server did not start",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("failed_tests.awk names cargo test failures", async () => {
  const log = [
    "running 2 tests",
    "test a::works ... ok",
    "test a::breaks ... FAILED",
    "",
    "failures:",
    "",
    "---- a::breaks stdout ----",
    "thread 'a::breaks' panicked at src/a.rs:3:5:",
    "",
    "test result: FAILED. 1 passed; 1 failed",
  ].join("\n");
  assert.deepEqual(await failedTests(log), ["a::breaks"]);
});

Deno.test("failed_tests.awk prints nothing for a passing log", async () => {
  assert.deepEqual(
    await failedTests("=== memory\nok | 12 passed | 0 failed\n"),
    [],
  );
});
