/**
 * The services the library was built with: `diagnostics()` lists them, and
 * a scheme no service has is `Unsupported`, naming the closest one. (A
 * service left out of a slim build: tests/slim/slim_library.ts, which
 * scripts/test_slim.sh runs against a slim library.)
 */
import assert from "node:assert/strict";
import { diagnostics, OpendalError, Operator } from "@opendal/core";
import { CATALOG } from "../../scripts/service_catalog.ts";

Deno.test("diagnostics lists every service of the catalog, sorted", () => {
  const { services } = diagnostics();
  assert.deepEqual(services, Object.keys(CATALOG).sort());
});

function isUnsupported(message: string) {
  return (e: unknown) => {
    assert.ok(e instanceof OpendalError, String(e));
    assert.equal(e.kind, "Unsupported");
    assert.equal(e.message, message);
    return true;
  };
}

const has = `(it has: ${diagnostics().services.join(", ")})`;

Deno.test("a scheme no service has is Unsupported, naming the closest", () => {
  assert.throws(
    () => new Operator("memroy"),
    isUnsupported(
      `this library has no "memroy" service; did you mean "memory"? ${has}`,
    ),
  );
  assert.throws(
    () => new Operator("nosuch"),
    isUnsupported(`this library has no "nosuch" service ${has}`),
  );
});

Deno.test("a URI of a scheme no service has is Unsupported", () => {
  assert.throws(
    () => Operator.fromUri("s4://bucket/x"),
    isUnsupported(
      `this library has no "s4" service; did you mean "s3"? ${has}`,
    ),
  );
});
