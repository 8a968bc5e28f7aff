import assert from "node:assert/strict";
import { Operator } from "@opendal/core";
import { ConcurrentLimitLayer } from "@opendal/core/layers/concurrent_limit";
import { TestServer } from "./server.ts";

Deno.test("concurrent limit: 64 stats at once reach the server 4 at a time", async () => {
  await using server = new TestServer({ delayMs: 20 });
  using op = new Operator("http", { endpoint: server.endpoint })
    .layer(new ConcurrentLimitLayer({ permits: 4 }));
  const all = Array.from({ length: 64 }, (_, i) => op.stat(`f${i}`));
  const metas = await Promise.all(all);
  assert.equal(metas.length, 64);
  assert.equal(server.requests, 64);
  assert.ok(server.peakInFlight <= 4, `peak ${server.peakInFlight}`);
  assert.ok(server.peakInFlight >= 2, "the operations did overlap");
});

Deno.test("concurrent limit: two operators sharing one layer share the limit", async () => {
  await using server = new TestServer({ delayMs: 20 });
  using limit = new ConcurrentLimitLayer({ permits: 3 });
  using a = new Operator("http", { endpoint: server.endpoint }).layer(limit);
  using b = new Operator("http", { endpoint: server.endpoint }).layer(limit);
  await Promise.all([
    ...Array.from({ length: 32 }, (_, i) => a.stat(`a${i}`)),
    ...Array.from({ length: 32 }, (_, i) => b.stat(`b${i}`)),
  ]);
  assert.equal(server.requests, 64);
  assert.ok(server.peakInFlight <= 3, `peak ${server.peakInFlight}`);
});

Deno.test("concurrent limit: without the layer the same load overlaps freely", async () => {
  await using server = new TestServer({ delayMs: 20 });
  using op = new Operator("http", { endpoint: server.endpoint });
  await Promise.all(Array.from({ length: 64 }, (_, i) => op.stat(`f${i}`)));
  assert.ok(server.peakInFlight > 4, `peak ${server.peakInFlight}`);
});
