/**
 * Error messages a person can act on: short, cause first, then the
 * operation and path; OpenDAL's full text kept as the `cause`; the stack
 * showing the caller's frames for asynchronous calls too.
 */

import assert from "node:assert/strict";
import { diagnostics, OpendalError } from "@opendal/core";
import { RetryLayer } from "@opendal/core/layers";
import { S3Operator } from "@opendal/core/services/s3";
import { FsOperator } from "@opendal/core/services/fs";
import { HttpOperator } from "@opendal/core/services/http";
import { MemoryOperator } from "@opendal/core/services/memory";

async function failure(p: () => unknown): Promise<OpendalError> {
  try {
    await p();
  } catch (e) {
    assert.ok(e instanceof OpendalError, String(e));
    return e;
  }
  assert.fail("did not fail");
}

/** A 127.0.0.1 port nothing listens on. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

Deno.test("fs: the OS error leads, then the operation and path", async () => {
  using op = new FsOperator({ root: await Deno.makeTempDir() });
  const e = await failure(() => op.stat("missing.txt"));
  assert.equal(e.message, 'no such file or directory: stat "missing.txt"');
  assert.ok(e.cause instanceof Error);
  assert.equal(e.cause.name, "OpenDAL");
  // The full context: service, path and the OS error with its number.
  assert.match(e.cause.message, /service: fs/);
  assert.match(e.cause.message, /os error 2\b/);
  await op.write("dir/a", "x");
  const dir = await failure(() => op.read("dir"));
  assert.equal(dir.message, 'is a directory: read "dir"');
});

Deno.test("copy, rename and copyTo name both paths: a target's failure is not blamed on the source", async () => {
  using op = new FsOperator({ root: await Deno.makeTempDir() });
  using memory = new MemoryOperator();
  await op.write("a.txt", "x");
  await op.write("file", "not a directory");
  await memory.write("m.txt", "y");
  const cases = [
    ["copy", () => op.copy("a.txt", "file/b"), "a.txt", "file/b"],
    ["rename", () => op.rename("a.txt", "file/b"), "a.txt", "file/b"],
    ["rename", () => op.renameSync("a.txt", "file/b"), "a.txt", "file/b"],
    ["copyTo", () => memory.copyTo("m.txt", op, "file/c"), "m.txt", "file/c"],
    ["copyTo", () => memory.copyTo("gone", op, "d"), "gone", "d"],
  ] as const;
  for (const [operation, call, path, target] of cases) {
    const e = await failure(call);
    assert.ok(
      e.message.endsWith(`: ${operation} "${path}" -> "${target}"`),
      e.message,
    );
    assert.deepEqual([e.operation, e.path, e.target], [
      operation,
      path,
      target,
    ]);
  }
  // One-path operations have no target.
  const stat = await failure(() => op.stat("gone"));
  assert.equal(stat.target, undefined);
  assert.ok(!("target" in { ...stat }), "not listed when absent");
});

Deno.test("a refused connection names the host it tried", async () => {
  const port = closedPort();
  using op = new HttpOperator({ endpoint: `http://127.0.0.1:${port}` });
  const e = await failure(() => op.stat("x"));
  assert.equal(e.message, `connection refused (127.0.0.1:${port}): stat "x"`);
  assert.equal(e.temporary, true, "the server may come up");
  assert.match((e.cause as Error).message, /error sending request/);
  assert.match((e.cause as Error).message, /os error 111|refused/i);
});

Deno.test("errors made outside an operation read cleanly", async () => {
  using op = new MemoryOperator();
  const bad = await failure(() => op.read("x", { offset: -1 }));
  assert.equal(
    bad.message,
    'offset must be a non-negative integer, got -1: read "x"',
  );
  const layer = await failure(() => new RetryLayer({ factor: 0.5 }));
  assert.equal(layer.message, "factor must be at least 1, got 0.5");
  assert.equal(layer.cause, undefined, "no detail beyond the message");
  const missing = await failure(() => op.stat("nope"));
  assert.doesNotMatch(missing.message, /NotFound/, "the kind is not repeated");
  assert.match(missing.message, /: stat "nope"$/);
});

Deno.test("an asynchronous failure's stack shows the caller's frames", async () => {
  using op = new FsOperator({ root: await Deno.makeTempDir() });
  await op.write("dir/a", "x");
  // Inline (finished during the call) or through the completion queue.
  async function readTheDirectoryByMistake() {
    return await op.read("dir");
  }
  const e = await failure(() => readTheDirectoryByMistake());
  assert.match(e.stack!, /at (async )?readTheDirectoryByMistake \(/, e.stack);
  assert.match(e.stack!, /messages_test\.ts/, e.stack);
  // Through a writer, and a listing that fails while it streams.
  async function writeBelowAFile() {
    const w = await op.writer("dir/a/b");
    await w.write("x");
    await w.close();
  }
  const w = await failure(() => writeBelowAFile());
  assert.match(w.stack!, /at (async )?writeBelowAFile \(/, w.stack);
  // A real server: its answer always arrives through the completion queue.
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () =>
      new Response("<Error><Code>AccessDenied</Code></Error>", { status: 403 }),
  );
  const endpoint = `http://127.0.0.1:${server.addr.port}`;
  using http = new HttpOperator({ endpoint });
  async function statOnAServerThatRefuses() {
    const pending = http.stat("a");
    assert.equal(diagnostics().pending, 1, "not finished inline");
    return await pending;
  }
  const p = await failure(() => statOnAServerThatRefuses());
  assert.match(p.stack!, /at async statOnAServerThatRefuses \(/, p.stack);
  using s3 = new S3Operator({
    bucket: "b",
    region: "us-east-1",
    endpoint,
    disableConfigLoad: true,
    disableEc2Metadata: true,
    allowAnonymous: true,
  });
  async function listWhatIsRefused() {
    for await (const _ of s3.list("a/")) { /* nothing arrives */ }
  }
  const l = await failure(() => listWhatIsRefused());
  assert.equal(l.kind, "PermissionDenied");
  assert.match(l.stack!, /at async listWhatIsRefused \(/, l.stack);
});

Deno.test("inspect shows the short message first and the detail as the cause", async () => {
  using op = new FsOperator({ root: await Deno.makeTempDir() });
  const e = await failure(() => op.stat("missing.txt"));
  const text = Deno.inspect(e);
  assert.match(
    text,
    /^NotFound \[OpendalError\]: no such file or directory: stat "missing.txt"\n/,
  );
  assert.match(text, /\[cause\]: \[OpenDAL: NotFound \(permanent\) at stat/);
});
