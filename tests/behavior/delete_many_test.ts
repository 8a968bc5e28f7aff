/**
 * deleteMany and Deleter: OpenDAL's deleter cases (batch delete through
 * `Operator::deleter`), async and sync, on every service under test; then
 * bad input, use after close and handle ownership on memory.
 */

import { diagnostics, type Operator } from "@opendal/core";
import { CapabilityOverrideLayer } from "@opendal/core/layers";
import { MemoryOperator } from "@opendal/core/services/memory";
import {
  assert,
  assertFails,
  assertThrowsNow,
  behavior,
  collectGarbage,
  type Gate,
  genBytes,
  newDir,
  newPath,
} from "./harness.ts";

const gate: Gate = (c) => c.stat && c.delete && c.write && c.list;

/** `deleteMany` in the case's flavour (the sync one takes iterables only). */
function deleteMany(
  op: Operator,
  sync: boolean,
  paths: Iterable<string | { path: string; version?: string }>,
): Promise<void> {
  if (!sync) return op.deleteMany(paths);
  try {
    return Promise.resolve(op.deleteManySync(paths));
  } catch (e) {
    return Promise.reject(e);
  }
}

behavior("delete many", gate, async ({ op, api, cap, sync }) => {
  const dir = newDir();
  const paths = Array.from({ length: 25 }, (_, i) => `${dir}${i}.bin`);
  for (const p of paths) await api.write(p, genBytes(cap));
  const kept = `${dir}kept.bin`;
  await api.write(kept, genBytes(cap));
  // Strings and { path } entries, a missing path, and a path given twice.
  const entries = [
    ...paths.slice(0, 20),
    ...paths.slice(20).map((path) => ({ path })),
    `${dir}missing.bin`,
    paths[0],
  ];
  await deleteMany(op, sync, new Set(entries));
  for (const p of paths) assert.equal(await api.exists(p), false, p);
  assert.equal(await api.exists(kept), true);
  await api.delete(kept);
});

behavior("delete many from a listing", gate, async ({ op, api, cap, sync }) => {
  const dir = newDir();
  for (let i = 0; i < 5; i++) await api.write(`${dir}${i}`, genBytes(cap));
  const files = (await api.list(dir, { recursive: true }))
    .filter((e) => !e.path.endsWith("/"));
  assert.equal(files.length, 5);
  await deleteMany(op, sync, files);
  assert.deepEqual(
    (await api.list(dir, { recursive: true }))
      .filter((e) => !e.path.endsWith("/")),
    [],
  );
});

behavior("delete many of nothing", gate, async ({ op, sync }) => {
  await deleteMany(op, sync, []);
});

behavior(
  "deleter sends what it queued at close",
  gate,
  async ({ op, api, cap, sync }) => {
    const dir = newDir();
    const a = `${dir}a`, b = `${dir}b`;
    await api.write(a, genBytes(cap));
    await api.write(b, genBytes(cap));
    if (sync) {
      const d = op.deleterSync();
      d.deleteSync(a);
      d.deleteSync({ path: b });
      d.closeSync();
    } else {
      await using d = await op.deleter();
      await d.delete(a);
      await d.delete({ path: b });
      await d.close();
    }
    assert.equal(await api.exists(a), false);
    assert.equal(await api.exists(b), false);
  },
);

behavior(
  "deleter deletes a hundred paths",
  (c) => gate(c) && c.createDir,
  async ({ op, api, sync }) => {
    const dir = newDir();
    await api.createDir(dir);
    const paths = Array.from({ length: 100 }, (_, i) => `${dir}${i}`);
    for (const p of paths) await api.write(p, "delete me");
    if (sync) {
      const d = op.deleterSync();
      for (const p of paths) d.deleteSync(p);
      d.closeSync();
    } else {
      await using d = await op.deleter();
      for (const p of paths) await d.delete(p);
      await d.close();
    }
    for (const p of paths) assert.equal(await api.exists(p), false, p);
  },
);

behavior(
  "delete many of one file, by either spelling",
  gate,
  async ({ op, api, cap, sync }) => {
    const path = newPath();
    const content = genBytes(cap);
    await api.write(path, content);
    await deleteMany(op, sync, [path]);
    assert.equal(await api.exists(path), false);
    // Written with a leading slash, deleted without: the same object.
    await api.write(`/${path}`, content);
    await deleteMany(op, sync, [path]);
    assert.equal(await api.exists(path), false);
  },
);

behavior(
  "delete many with versions, in batches of two",
  (c) =>
    gate(c) && c.deleteWithVersion && c.statWithVersion &&
    (c.deleteMaxSize ?? 1) > 1,
  async ({ op, api, cap, sync }) => {
    // Five entries in batches of at most two: three batch requests. Not
    // `using`: closing the layered operator would close the shared `op`.
    const batched = op.layer(new CapabilityOverrideLayer({ deleteMaxSize: 2 }));
    const entries: { path: string; version: string }[] = [];
    for (let i = 0; i < 5; i++) {
      const path = newPath();
      await api.write(path, genBytes(cap));
      const { version } = await api.stat(path);
      assert.ok(version, `${path} must have a version`);
      entries.push({ path, version });
    }
    await deleteMany(batched, sync, entries);
    for (const { path, version } of entries) {
      await assertFails(api.stat(path, { version }), "NotFound", path);
    }
  },
);

Deno.test("deleteMany: bad input is ConfigInvalid, thrown with the caller's frames", async () => {
  using op = new MemoryOperator();
  await op.write("kept", "x");
  const cases: [unknown, RegExp][] = [
    [
      42,
      /must be an array or an iterable or async iterable of paths, got number/,
    ],
    ["kept", /got string/],
    [null, /got null/],
    [undefined, /got undefined/],
    [
      [1],
      /an entry to delete must be a path or \{ path, version \}, got number/,
    ],
    [[null], /got null/],
    [[{ path: 3 }], /an entry's path must be a string, got number/],
    [[{ path: "x", version: 1 }], /the version of "x" must be a string/],
    [["kept", ""], /path must name an entry below the root/],
  ];
  for (const [paths, message] of cases) {
    const e = await assertFails(
      () => op.deleteMany(paths as string[]),
      "ConfigInvalid",
      String(paths),
    );
    assert.match(e.message, message);
    assert.match(e.stack!, /delete_many_test\.ts/, "the caller's frame");
    assertThrowsNow(
      () => op.deleteManySync(paths as string[]),
      "ConfigInvalid",
    );
  }
  // A bad entry is refused before its batch is sent: "kept" stays.
  assert.equal(await op.exists("kept"), true);
  // An async iterable has no blocking form.
  async function* gen() {
    yield "kept";
  }
  assertThrowsNow(
    () => op.deleteManySync(gen() as unknown as string[]),
    "ConfigInvalid",
  );
  await op.deleteMany(gen());
  assert.equal(await op.exists("kept"), false);
});

Deno.test("deleteMany: an iterable that throws stops it, and its error is the one thrown", async () => {
  using op = new MemoryOperator();
  const before = diagnostics().handles;
  const failing = {
    *[Symbol.iterator]() {
      yield "a";
      throw new Error("the source failed");
    },
  };
  await assert.rejects(() => op.deleteMany(failing), /the source failed/);
  assert.throws(() => op.deleteManySync(failing), /the source failed/);
  assert.equal(diagnostics().handles, before, "the deleter was released");
});

Deno.test("deleteMany: an aborted signal rejects with AbortError", async () => {
  using op = new MemoryOperator();
  const signal = AbortSignal.abort();
  await assert.rejects(
    () => op.deleteMany(["a"], { signal }),
    (e: Error) => e.name === "AbortError",
  );
});

Deno.test("Deleter: use after close or dispose is BadResource", async () => {
  using op = new MemoryOperator();
  const d = await op.deleter();
  await d.close();
  await assertFails(d.delete("a"), "BadResource");
  assertThrowsNow(() => d.deleteSync("a"), "BadResource");
  await assertFails(d.close(), "BadResource");
  const e = op.deleterSync();
  e[Symbol.dispose]();
  await assertFails(e.delete("a"), "BadResource");
  // Bad entries are refused at once, before the handle is looked at.
  const f = await op.deleter();
  await assertFails(f.delete(7 as unknown as string), "ConfigInvalid");
  await f.close();
  op.close();
  await assertFails(() => op.deleteMany(["a"]), "BadResource");
  assertThrowsNow(() => op.deleterSync(), "BadResource");
});

Deno.test("Deleter: disposed or dropped without close, its handle is released", async () => {
  using op = new MemoryOperator();
  await collectGarbage();
  const before = diagnostics().handles;
  {
    await using d = await op.deleter();
    await d.delete("a");
  }
  assert.equal(diagnostics().handles, before, "disposed");
  (() => op.deleterSync())();
  assert.equal(diagnostics().handles, before + 1);
  await collectGarbage();
  assert.equal(diagnostics().handles, before, "collected");
});
