/**
 * Use after close: every closed object answers `Deno.errors.BadResource`
 * (kind `"BadResource"`, also an `OpendalError`), as Deno answers a closed
 * file, and nothing native is touched.
 */

import assert from "node:assert/strict";
import { OpendalError } from "@opendal/core";
import { MemoryOperator } from "@opendal/core/services/memory";
import { RetryLayer } from "@opendal/core/layers";

function assertBadResource(e: unknown, what: string): void {
  assert.ok(e instanceof Deno.errors.BadResource, `${what}: ${e}`);
  assert.ok(e instanceof OpendalError, what);
  assert.equal(e.kind, "BadResource", what);
  assert.match(e.message, /is closed/, what);
}

async function rejects(p: () => unknown, what: string): Promise<void> {
  try {
    await p();
  } catch (e) {
    return assertBadResource(e, what);
  }
  assert.fail(`${what} did not throw`);
}

Deno.test("a closed operator throws BadResource from every method", async () => {
  const op = new MemoryOperator();
  op.writeSync("a", "x");
  op.close();
  await rejects(() => op.stat("a"), "stat");
  await rejects(() => op.read("a"), "read");
  await rejects(() => op.write("a", "y"), "write");
  await rejects(() => op.reader("a"), "reader");
  await rejects(() => op.writer("a"), "writer");
  await rejects(() => op.check(), "check");
  await rejects(() => op.list("").next(), "list");
  await rejects(() => op.statSync("a"), "statSync");
  await rejects(() => op.readSync("a"), "readSync");
  await rejects(() => [...op.listSync("")], "listSync");
  await rejects(() => op.info(), "info");
  await rejects(() => op.layer(new RetryLayer()), "layer");
  op.close(); // closing twice is a no-op
});

Deno.test("a closed reader throws BadResource, also through its stream", async () => {
  using op = new MemoryOperator();
  await op.write("a", "xyz");
  const reader = await op.reader("a");
  reader.close();
  await rejects(() => reader.read(0, 1), "read");
  await rejects(() => reader.readSync(0, 1), "readSync");
  await rejects(() => reader.readable.getReader().read(), "readable");
});

Deno.test("a closed writer throws BadResource", async () => {
  using op = new MemoryOperator();
  const writer = await op.writer("a");
  await writer.write("x");
  await writer.close();
  await rejects(() => writer.write("y"), "write");
  await rejects(() => writer.writeSync("y"), "writeSync");
  await rejects(() => writer.close(), "close");
  assert.equal(await op.readText("a"), "x", "the committed object is intact");
});

Deno.test("a closed layer throws BadResource when applied", () => {
  using op = new MemoryOperator();
  const layer = new RetryLayer();
  layer.close();
  assertBadResource(
    (() => {
      try {
        op.layer(layer);
      } catch (e) {
        return e;
      }
    })(),
    "layer",
  );
});
