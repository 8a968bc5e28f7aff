/**
 * info() and capability(): what the service says it can do, and that the
 * gates of this suite read it right.
 */

import { assert, behaviorAsync, services } from "./harness.ts";

behaviorAsync("info", () => true, ({ op, scheme }) => {
  const info = op.info();
  assert.equal(info.scheme, scheme);
  assert.equal(op.scheme, scheme);
  assert.equal(typeof info.root, "string");
  assert.equal(typeof info.name, "string");
  // Cached: the same object every time.
  assert.equal(op.info(), info);
});

behaviorAsync(
  "info root is the configured root",
  () => true,
  ({ op, scheme }) => {
    const configured = services.find((s) => s.scheme === scheme)!.config.root;
    if (configured === undefined) return;
    const trim = (p: string): string => p.replace(/\/+$/, "");
    assert.equal(trim(op.info().root), trim(configured));
  },
);

behaviorAsync("get capability", () => true, ({ op }) => {
  const cap = op.capability();
  for (
    const key of [
      "stat",
      "read",
      "write",
      "delete",
      "list",
      "copy",
      "rename",
      "presign",
    ] as const
  ) {
    assert.equal(typeof cap[key], "boolean", key);
  }
  for (
    const key of [
      "writeMultiMaxSize",
      "writeTotalMaxSize",
      "deleteMaxSize",
    ] as const
  ) {
    const v = cap[key];
    assert.ok(
      v === undefined || (typeof v === "number" && v >= 0),
      `${key}=${v}`,
    );
  }
  assert.ok(Object.isFrozen(cap), "capability is read-only");
});

behaviorAsync("try to non-exist capability", () => true, ({ op }) => {
  const cap = op.capability() as unknown as Record<string, unknown>;
  assert.equal(cap["nonExistCapability"], undefined);
  assert.equal("nonExistCapability" in cap, false);
});

behaviorAsync("capability flags are consistent", () => true, ({ op }) => {
  const cap = op.capability();
  // A `*With*` flag implies its operation.
  const c = cap as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(c)) {
    const m = /^(stat|read|write|delete|copy|rename|list|presign)(With|Can)/
      .exec(key);
    if (m && value === true) {
      assert.equal(c[m[1]], true, `${key} without ${m[1]}`);
    }
  }
});
