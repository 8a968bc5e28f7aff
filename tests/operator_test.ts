import assert from "node:assert/strict";
import { OpendalError, Operator } from "@opendal/core";

Deno.test("a scheme the library has no service for is Unsupported, listing what it has", () => {
  assert.throws(() => new Operator("hdfs"), (e: unknown) => {
    assert.ok(e instanceof OpendalError);
    assert.equal(e.kind, "Unsupported");
    assert.ok(e instanceof Deno.errors.NotSupported);
    assert.match(e.message, /^this library has no "hdfs" service/);
    assert.match(e.message, /\(it has: .*memory/, "lists what the build has");
    return true;
  });
});

Deno.test("every service module's scheme is in this build", async () => {
  const dir = new URL("../services/", import.meta.url);
  for await (const f of Deno.readDir(dir)) {
    const scheme = f.name.replace(/\.ts$/, "");
    try {
      new Operator(scheme, {}).close();
    } catch (e) {
      // Missing required config is fine; a missing service is not.
      assert.ok(e instanceof OpendalError, String(e));
      assert.notEqual(e.kind, "Unsupported", `${scheme}: ${e.message}`);
    }
  }
});
