import assert from "node:assert/strict";
import { OpendalError, Operator } from "@opendal/core";
import { RetryLayer } from "@opendal/core/layers/retry";
import { TimeoutLayer } from "@opendal/core/layers/timeout";
import { TestServer } from "./server.ts";

const fastRetry = { minDelay: 1, maxDelay: 5 };

Deno.test("retry: a read that meets two 503s succeeds on the third attempt", async () => {
  await using server = new TestServer({ failFirst: 2 });
  using op = new Operator("http", { endpoint: server.endpoint })
    .layer(new RetryLayer({ maxTimes: 4, ...fastRetry }));
  const text = await op.readText("file.txt");
  assert.equal(text, "served by the test server");
  assert.equal(server.requests, 3, "two failed attempts, then the good one");
});

Deno.test("retry: without the layer the first 503 is a temporary error", async () => {
  await using server = new TestServer({ failFirst: 1 });
  using op = new Operator("http", { endpoint: server.endpoint });
  const err = await op.read("file.txt").catch((e) => e);
  assert.ok(err instanceof OpendalError);
  assert.equal(err.temporary, true);
  assert.equal(server.requests, 1);
});

Deno.test("retry: gives up after maxTimes retries", async () => {
  await using server = new TestServer({ failFirst: 100 });
  using op = new Operator("http", { endpoint: server.endpoint })
    .layer(new RetryLayer({ maxTimes: 3, ...fastRetry }));
  const err = await op.read("file.txt").catch((e) => e);
  assert.ok(err instanceof OpendalError, String(err));
  assert.equal(server.requests, 4, "one attempt and three retries");
});

Deno.test("timeout: a slow answer fails at the timeout, not when it arrives", async () => {
  await using server = new TestServer({ delayMs: 1000 });
  using op = new Operator("http", { endpoint: server.endpoint })
    .layer(new TimeoutLayer({ timeout: 200, ioTimeout: 200 }));
  const start = performance.now();
  const err = await op.stat("file.txt").catch((e) => e);
  const elapsed = performance.now() - start;
  assert.ok(err instanceof OpendalError, String(err));
  assert.equal(err.kind, "Unexpected");
  assert.equal(err.temporary, true, "a timeout is worth retrying");
  assert.match(err.message, /timeout|timed out/i);
  assert.ok(elapsed >= 180 && elapsed < 1500, `took ${elapsed} ms`);
});

Deno.test("timeout before retry: every attempt gets its own timeout", async () => {
  await using server = new TestServer({ delayMs: 1000 });
  using op = new Operator("http", { endpoint: server.endpoint })
    .layer(new TimeoutLayer({ timeout: 100, ioTimeout: 100 }))
    .layer(new RetryLayer({ maxTimes: 2, ...fastRetry }));
  const start = performance.now();
  await assert.rejects(op.stat("file.txt"));
  const elapsed = performance.now() - start;
  assert.equal(server.requests, 3, "timed out three times: retried");
  assert.ok(elapsed >= 280 && elapsed < 2500, `took ${elapsed} ms`);
});
