/**
 * One rule for every option: an option the operator cannot honour is
 * refused with `Unsupported` naming it, before anything is written, checked
 * against the capability the operator reports (overrides included).
 */

import assert from "node:assert/strict";
import { OpendalError } from "@opendal/core";
import { FsOperator } from "@opendal/core/services/fs";
import { MemoryOperator } from "@opendal/core/services/memory";
import { CapabilityOverrideLayer } from "@opendal/core/layers";

async function refused(p: () => unknown, option: string): Promise<void> {
  try {
    await p();
  } catch (e) {
    assert.ok(e instanceof OpendalError, String(e));
    assert.equal(e.kind, "Unsupported", e.message);
    assert.ok(e instanceof Deno.errors.NotSupported);
    assert.equal(e.temporary, false);
    assert.match(e.message, new RegExp(`\\b${option}\\b`), e.message);
    return;
  }
  assert.fail(`${option} was accepted`);
}

Deno.test("memory: options it cannot store are refused, nothing is written", async () => {
  using op = new MemoryOperator();
  assert.equal(op.capability().writeWithUserMetadata, false);
  await refused(
    () => op.write("a", "x", { userMetadata: { k: "v" } }),
    "userMetadata",
  );
  await refused(
    () => op.writer("a", { userMetadata: { k: "v" } }),
    "userMetadata",
  );
  await refused(
    () => op.writeSync("a", "x", { userMetadata: { k: "v" } }),
    "userMetadata",
  );
  await refused(() => op.write("a", "x", { append: true }), "append");
  assert.equal(await op.exists("a"), false, "nothing was written");
  await op.write("b", "x");
  await refused(() => op.list("", { startAfter: "a" }).next(), "startAfter");
  await refused(() => [...op.listSync("", { versions: true })], "versions");
  await refused(() => op.stat("b", { version: "v1" }), "version");
  await refused(() => op.read("b", { ifMatch: '"e"' }), "ifMatch");
  await refused(() => op.reader("b", { ifNoneMatch: '"e"' }), "ifNoneMatch");
  await refused(() => op.delete("b", { version: "v1" }), "version");
  assert.equal(await op.readText("b"), "x", "nothing was deleted");
});

Deno.test("fs: contentType is refused, what fs stores is accepted", async () => {
  using op = new FsOperator({ root: await Deno.makeTempDir() });
  await refused(
    () => op.write("a.txt", "x", { contentType: "text/plain" }),
    "contentType",
  );
  await refused(
    () => op.write("a.txt", "x", { cacheControl: "no-cache" }),
    "cacheControl",
  );
  assert.equal(await op.exists("a.txt"), false);
  // Hints and supported options pass.
  await op.write("a.txt", "x", { chunk: 1024, concurrent: 2 });
  await op.write("a.txt", "y", { append: true });
  assert.equal(await op.readText("a.txt"), "xy");
  const entries = [];
  for await (const e of op.list("", { recursive: true, limit: 10 })) {
    entries.push(e.path);
  }
  assert.ok(entries.includes("a.txt"));
  // The target's capability decides for copyTo.
  using cache = new MemoryOperator();
  await op.copyTo("a.txt", cache, "b.txt", { contentType: "text/plain" });
  assert.equal((await cache.stat("b.txt")).contentType, "text/plain");
  await refused(
    () => cache.copyTo("b.txt", op, "c.txt", { contentType: "text/plain" }),
    "contentType",
  );
  assert.equal(await op.exists("c.txt"), false);
});

Deno.test("a capability turned off by CapabilityOverrideLayer is refused", async () => {
  using op = new MemoryOperator()
    .layer(new CapabilityOverrideLayer({ writeWithContentType: false }));
  await refused(
    () => op.write("a", "x", { contentType: "text/plain" }),
    "contentType",
  );
  assert.equal(await op.exists("a"), false);
});
