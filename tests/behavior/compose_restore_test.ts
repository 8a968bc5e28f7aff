/**
 * compose and restore: OpenDAL 0.59's compose cases on every service under
 * test that has `compose` (GCS), async and sync; refusals where a service
 * has neither, bad input and use after close on memory. Restore needs a
 * versioned bucket: tests/services/restore_test.ts makes one on S3.
 */

import type { Operator } from "@opendal/core";
import { MemoryOperator } from "@opendal/core/services/memory";
import { FsOperator } from "@opendal/core/services/fs";
import {
  assert,
  assertFails,
  assertThrowsNow,
  behavior,
  type Gate,
  newDir,
} from "./harness.ts";

const gate: Gate = (c) => c.compose && c.write && c.read;

/** `compose` in the case's flavour. */
function compose(
  op: Operator,
  sync: boolean,
  sources: Parameters<Operator["compose"]>[0],
  to: string,
  options?: Parameters<Operator["composeSync"]>[2],
) {
  if (!sync) return op.compose(sources, to, options);
  try {
    return Promise.resolve(op.composeSync(sources, to, options));
  } catch (e) {
    return Promise.reject(e);
  }
}

behavior("compose in order", gate, async ({ op, api, sync }) => {
  const dir = newDir();
  const parts = ["a", "bb", "ccc"].map((text, i) => [`${dir}${i}`, text]);
  for (const [p, text] of parts) await api.write(p, text);
  const to = `${dir}whole`;
  const meta = await compose(
    op,
    sync,
    [parts[2][0], { path: parts[0][0] }, parts[1][0]],
    to,
  );
  assert.equal(meta.contentLength, 6);
  assert.equal(await api.readText(to), "cccabb");
  // The sources stay.
  assert.equal(await api.readText(parts[1][0]), "bb");
});

behavior(
  "compose more sources than one request takes",
  gate,
  async ({ op, api, sync }) => {
    // GCS composes at most 32 sources per request: OpenDAL composes in levels.
    const dir = newDir();
    const paths = Array.from({ length: 40 }, (_, i) => `${dir}${i}`);
    for (const [i, p] of paths.entries()) await api.write(p, `${i},`);
    await compose(op, sync, paths, `${dir}all`);
    assert.equal(
      await api.readText(`${dir}all`),
      paths.map((_, i) => `${i},`).join(""),
    );
  },
);

behavior(
  "compose with content type and user metadata",
  (c) => gate(c) && c.composeWithContentType && c.composeWithUserMetadata,
  async ({ op, api, sync }) => {
    const dir = newDir();
    await api.write(`${dir}a`, "a");
    await compose(op, sync, [`${dir}a`], `${dir}b`, {
      contentType: "text/x-composed",
      userMetadata: { origin: "compose" },
    });
    const meta = await api.stat(`${dir}b`);
    assert.equal(meta.contentType, "text/x-composed");
    assert.deepEqual(meta.userMetadata, { origin: "compose" });
  },
);

behavior(
  "compose refuses its destination as a source",
  gate,
  async ({ op, api, sync }) => {
    const path = `${newDir()}a`;
    await api.write(path, "a");
    await assertFails(compose(op, sync, [path], path), "IsSameFile");
  },
);

behavior("composer in order", gate, async ({ op, api, sync }) => {
  const dir = newDir();
  const paths = Array.from({ length: 40 }, (_, i) => `${dir}${i}`);
  for (const [i, p] of paths.entries()) await api.write(p, `${i},`);
  const to = `${dir}whole`;
  let meta;
  if (sync) {
    using composer = op.composerSync(to);
    for (const p of paths) composer.composeSync(p);
    meta = composer.closeSync();
  } else {
    await using composer = await op.composer(to);
    for (const p of paths) await composer.compose({ path: p });
    meta = await composer.close();
  }
  const whole = paths.map((_, i) => `${i},`).join("");
  assert.equal(meta.contentLength, whole.length);
  assert.equal(await api.readText(to), whole);
});

behavior(
  "composer released before close commits nothing",
  gate,
  async ({ op, api, sync }) => {
    const dir = newDir();
    await api.write(`${dir}a`, "a");
    if (sync) {
      using composer = op.composerSync(`${dir}b`);
      composer.composeSync(`${dir}a`);
    } else {
      await using composer = await op.composer(`${dir}b`);
      await composer.compose(`${dir}a`);
    }
    assert.equal(await api.exists(`${dir}b`), false);
  },
);

behavior(
  "compose a source if not changed",
  (c) => gate(c) && (c.composeWithSourceVersion || c.composeWithSourceIfMatch),
  async ({ op, api, sync }) => {
    const dir = newDir();
    await api.write(`${dir}a`, "old");
    const seen = await api.stat(`${dir}a`);
    const source = { path: `${dir}a`, ifNotChanged: seen };
    await compose(op, sync, [source], `${dir}b`);
    assert.equal(await api.readText(`${dir}b`), "old");
    await api.write(`${dir}a`, "new");
    const e = await assertFails(
      compose(op, sync, [source], `${dir}c`),
      seen.version && op.capability().composeWithSourceVersion
        ? "NotFound" // that version of the source is gone
        : "ConditionNotMatch",
    );
    assert.ok(e.message.length > 0);
    assert.equal(await api.exists(`${dir}c`), false);
  },
);

Deno.test("compose and restore: Unsupported where the service has neither, in short words", async () => {
  using memory = new MemoryOperator();
  using fs = new FsOperator({ root: await Deno.makeTempDir() });
  for (const op of [memory, fs]) {
    await op.write("a", "a");
    const composed = await assertFails(
      op.compose(["a"], "b"),
      "Unsupported",
    );
    assert.match(
      composed.message,
      new RegExp(
        `^the ${op.scheme} service cannot compose \\(capability compose is false\\): compose "b"$`,
      ),
    );
    assertThrowsNow(() => op.composeSync(["a"], "b"), "Unsupported");
    await assertFails(op.composer("b"), "Unsupported");
    assertThrowsNow(() => op.composerSync("b"), "Unsupported");
    const restored = await assertFails(op.restore("a"), "Unsupported");
    assert.match(
      restored.message,
      /cannot restore \(capability restore is false\)/,
    );
    assertThrowsNow(() => op.restoreSync("a"), "Unsupported");
  }
});

Deno.test("compose: bad sources are ConfigInvalid, with the caller's frames", async () => {
  using op = new MemoryOperator();
  const cases: [unknown, RegExp][] = [
    [[], /compose needs at least one source/],
    [new Set(), /compose needs at least one source/],
    ["a", /must be an array or iterable of paths, got string/],
    [null, /got null/],
    [42, /got number/],
    [
      [3],
      /a compose source must be a path or \{ path, version, ifMatch, ifNotChanged \}, got number/,
    ],
    [[{ path: 3 }], /a compose source's path must be a string, got number/],
    [
      [{ path: "a", version: 1 }],
      /compose source "a": version must be a string/,
    ],
    [
      [{ path: "a", ifMatch: false }],
      /compose source "a": ifMatch must be a string/,
    ],
    [
      [{ path: "a", ifNotChanged: "etag" }],
      /compose source "a": ifNotChanged must be a Metadata/,
    ],
    [[{ path: "a", size: 3 }], /compose source "a": unknown option size/],
  ];
  for (const [sources, message] of cases) {
    const rejected = await assertFails(
      op.compose(sources as string[], "b"),
      "ConfigInvalid",
    );
    const thrown = assertThrowsNow(
      () => op.composeSync(sources as string[], "b"),
      "ConfigInvalid",
    );
    for (const e of [rejected, thrown]) {
      assert.match(e.message, message);
      assert.match(e.stack!, /compose_restore_test\.ts/, "the caller's frame");
    }
  }
  // The destination and the options are checked too.
  await assertFails(op.compose(["a"], 5 as unknown as string), "ConfigInvalid");
  await assertFails(
    op.compose(["a"], "b", { recursive: true } as never),
    "ConfigInvalid",
  );
  assertThrowsNow(
    () => op.composeSync(["a"], "b", { signal: AbortSignal.abort() } as never),
    "ConfigInvalid",
  );
});

Deno.test("restore: bad input is ConfigInvalid, before the capability is looked at", async () => {
  using op = new MemoryOperator();
  await assertFails(op.restore(3 as unknown as string), "ConfigInvalid");
  await assertFails(op.restore(""), "ConfigInvalid");
  await assertFails(op.restore("a", { version: 1 } as never), "ConfigInvalid");
  const e = await assertFails(
    op.restore("a", { ifNotExists: true }),
    "ConfigInvalid",
  );
  assert.match(e.message, /ifNotExists needs a version/);
});

Deno.test("compose and restore after close are BadResource", async () => {
  const op = new MemoryOperator();
  op.close();
  await assertFails(() => op.compose(["a"], "b"), "BadResource");
  assertThrowsNow(() => op.composeSync(["a"], "b"), "BadResource");
  await assertFails(() => op.restore("a"), "BadResource");
  assertThrowsNow(() => op.restoreSync("a"), "BadResource");
});

Deno.test("compose and restore: an aborted signal rejects with AbortError", async () => {
  using op = new MemoryOperator();
  const signal = AbortSignal.abort();
  for (
    const p of [op.compose(["a"], "b", { signal }), op.restore("a", { signal })]
  ) {
    await assert.rejects(() => p, (e: Error) => e.name === "AbortError");
  }
});
