/**
 * Bad input: each case asserts the error kind AND that nothing was written
 * or lost (the object is unchanged, nothing appeared below the root).
 */

import { OpendalError, Operator } from "@opendal/core";
import { FsOperator } from "@opendal/core/services/fs";
import {
  type Api,
  assert,
  assertFails,
  assertKind,
  assertSameBytes,
  assertThrowsNow,
  behavior,
  buildService,
  type Gate,
  newDir,
  newPath,
  randomBytes,
  testedSchemes,
} from "./harness.ts";

const rw: Gate = (c) => c.read && c.write && c.stat;
const rwl: Gate = (c) => rw(c) && c.list;

/** Every path below the root, sorted: what "nothing changed" compares. */
async function snapshot(api: Api): Promise<string[]> {
  return (await api.list("", { recursive: true })).map((e) => e.path).sort();
}

/** A file with known content, and a check that it is still intact. */
async function fixture(api: Api): Promise<{
  path: string;
  intact(): Promise<void>;
}> {
  const path = `${newDir()}${newPath()}`;
  const content = randomBytes(4096);
  await api.write(path, content);
  return {
    path,
    intact: async () => await assertSameBytes(await api.read(path), content),
  };
}

// ---------------------------------------------------------------------------
// Constructing operators
// ---------------------------------------------------------------------------

Deno.test("operator: unknown scheme is Unsupported", () => {
  const e = assertThrowsNow(
    () => new Operator("definitely-not-a-scheme"),
    "Unsupported",
  );
  assert.ok(e instanceof Deno.errors.NotSupported);
  assert.match(e.message, /definitely-not-a-scheme/);
  // The message lists what this build has.
  assert.match(e.message, /\bmemory\b/);
  assert.match(e.message, /\bfs\b/);
});

Deno.test("operator: empty or malformed scheme is ConfigInvalid", () => {
  assertThrowsNow(() => new Operator(""), "ConfigInvalid");
  assertThrowsNow(() => new Operator("mem\0ory"), "ConfigInvalid");
  assertThrowsNow(() => new Operator("memory\uD800"), "ConfigInvalid");
  assertThrowsNow(() => new Operator(42 as unknown as string), "ConfigInvalid");
});

Deno.test("operator: bad config is ConfigInvalid", () => {
  const bad: unknown[] = [
    "root=/tmp",
    null,
    { root: { nested: true } },
    { root: ["/tmp"] },
    { root: "/tmp/\uD800" },
    { ["ro\uDC00ot"]: "/tmp" },
  ];
  for (const config of bad) {
    assertThrowsNow(
      () => new Operator("memory", config as Record<string, string>),
      "ConfigInvalid",
    );
  }
  // Numbers and booleans are accepted (as strings), undefined is skipped.
  using op = new Operator("memory", { root: "/a/", unused: undefined });
  assert.equal(op.info().root, "/a/");
});

// ---------------------------------------------------------------------------
// Option values
// ---------------------------------------------------------------------------

behavior("read with invalid offset or length", rw, async ({ api }) => {
  const f = await fixture(api);
  const bad = [-1, NaN, 1e300, 0.5, Infinity, -Infinity, 2 ** 53 + 2];
  for (const offset of bad) {
    const e = await assertFails(api.read(f.path, { offset }), "ConfigInvalid");
    assert.match(e.message, /offset/, `offset ${offset}`);
  }
  for (const length of bad) {
    const e = await assertFails(api.read(f.path, { length }), "ConfigInvalid");
    assert.match(e.message, /length/, `length ${length}`);
  }
  await assertFails(
    api.read(f.path, { offset: 2 ** 52, length: 2 ** 52 + 2 }),
    "ConfigInvalid",
  );
  // Wrong types are refused before anything is sent.
  for (const offset of ["1", 1n, null, {}]) {
    await assertFails(
      api.read(f.path, { offset: offset as number }),
      "ConfigInvalid",
    );
  }
  await f.intact();
});

behavior("read with invalid concurrent or chunk", rw, async ({ api }) => {
  const f = await fixture(api);
  for (const bad of [0, -1, 1.5, NaN]) {
    await assertFails(api.read(f.path, { concurrent: bad }), "ConfigInvalid");
    await assertFails(api.read(f.path, { chunk: bad }), "ConfigInvalid");
  }
  await f.intact();
});

behavior("write with invalid concurrent or chunk", rwl, async ({ api }) => {
  const f = await fixture(api);
  const before = await snapshot(api);
  for (const bad of [0, -1, 1.5, NaN]) {
    await assertFails(
      api.write(f.path, "new", { concurrent: bad }),
      "ConfigInvalid",
    );
    await assertFails(
      api.write(newPath(), "new", { chunk: bad }),
      "ConfigInvalid",
    );
  }
  await f.intact();
  assert.deepEqual(await snapshot(api), before);
});

behavior("reader read with invalid offset or length", rw, async ({ api }) => {
  const f = await fixture(api);
  const r = await api.reader(f.path);
  try {
    for (const offset of [-1, NaN, 0.5, Infinity, 1e300]) {
      await assertFails(r.read(offset), "ConfigInvalid", `read(${offset})`);
    }
    // A negative length is as wrong as a negative offset (`read(path,
    // { length: -1 })` refuses it); it must not mean "to the end".
    for (const length of [-5, -1, NaN, 0.5, Infinity]) {
      await assertFails(
        r.read(0, length),
        "ConfigInvalid",
        `read(0, ${length})`,
      );
    }
  } finally {
    r.close();
  }
  await f.intact();
});

behavior("list with invalid limit", (c) => c.list, async ({ api }) => {
  for (const limit of [0, -1, 1.5, NaN]) {
    await assertFails(api.list("/", { limit }), "ConfigInvalid");
  }
  await assertFails(
    api.list("/", { recursive: "yes" as unknown as boolean }),
    "ConfigInvalid",
  );
});

behavior("invalid dates are refused", rw, async ({ api }) => {
  const f = await fixture(api);
  for (const date of [new Date(NaN), "2024-01-01", 1700000000000]) {
    await assertFails(
      api.stat(f.path, { ifModifiedSince: date as Date }),
      "ConfigInvalid",
    );
    await assertFails(
      api.read(f.path, { ifUnmodifiedSince: date as Date }),
      "ConfigInvalid",
    );
  }
  await f.intact();
});

behavior("unknown option name", rwl, async ({ api }) => {
  const f = await fixture(api);
  const before = await snapshot(api);
  const bogus = { bogus: 1 } as Record<string, unknown>;
  for (
    const call of [
      () => api.read(f.path, bogus),
      () => api.stat(f.path, bogus),
      () => api.write(f.path, "overwritten", bogus),
      () => api.write(newPath(), "new", bogus),
      () => api.delete(f.path, bogus),
      () => api.list("", bogus),
      () => api.reader(f.path, bogus),
      () => api.writer(f.path, bogus),
    ]
  ) {
    const e = await assertFails(call, "ConfigInvalid");
    assert.match(e.message, /bogus/);
  }
  await f.intact();
  assert.deepEqual(await snapshot(api), before);
});

behavior("option the operation does not take", rwl, async ({ api }) => {
  const f = await fixture(api);
  const before = await snapshot(api);
  // Known options, sent to an operation they do not belong to.
  const cases: [() => Promise<unknown>, string][] = [
    [() => api.stat(f.path, { append: true } as never), "append"],
    [() => api.read(f.path, { recursive: true } as never), "recursive"],
    [() => api.delete(f.path, { offset: 1 } as never), "offset"],
    [() => api.write(f.path, "x", { offset: 1 } as never), "offset"],
    [
      () => api.write(newPath(), "x", { startAfter: "a" } as never),
      "startAfter",
    ],
    [() => api.list("", { contentType: "a/b" } as never), "contentType"],
  ];
  for (const [call, name] of cases) {
    const e = await assertFails(call, "ConfigInvalid");
    assert.match(e.message, new RegExp(name));
  }
  await f.intact();
  assert.deepEqual(await snapshot(api), before);
});

behavior("options of the wrong type", rwl, async ({ api }) => {
  const f = await fixture(api);
  const before = await snapshot(api);
  const cases: (() => Promise<unknown>)[] = [
    () => api.write(f.path, "x", { append: "yes" as unknown as boolean }),
    () => api.write(f.path, "x", { contentType: 5 as unknown as string }),
    () =>
      api.write(newPath(), "x", {
        userMetadata: { k: 5 } as unknown as Record<string, string>,
      }),
    () =>
      api.write(newPath(), "x", { userMetadata: { k: "bad \uD800 value" } }),
    () => api.stat(f.path, { ifMatch: 1 as unknown as string }),
    () => api.read(f.path, "offset" as never),
  ];
  for (const call of cases) await assertFails(call, "ConfigInvalid");
  await f.intact();
  assert.deepEqual(await snapshot(api), before);
});

// ---------------------------------------------------------------------------
// Closed operators
// ---------------------------------------------------------------------------

behavior("use after close", (c) => c.write, async ({ scheme, sync }) => {
  const { op } = buildService(scheme);
  op.writeSync("file", "content");
  op.close();

  const calls: (() => unknown)[] = [
    () => op.statSync("file"),
    () => op.readSync("file"),
    () => op.writeSync("file", "x"),
    () => op.deleteSync("file"),
    () => op.existsSync("file"),
    () => op.createDirSync("d/"),
    () => [...op.listSync("")],
    () => op.readerSync("file"),
    () => op.writerSync("file"),
    () => op.checkSync(),
  ];
  if (!sync) {
    calls.push(
      () => op.stat("file"),
      () => op.read("file"),
      () => op.write("file", "x"),
      () => op.delete("file"),
      () => op.exists("file"),
      () => op.check(),
      () => Array.fromAsync(op.list("")),
      () => op.reader("file"),
      () => op.writer("file"),
    );
  }
  for (const call of calls) {
    const e = await assertFails(call, "BadResource");
    assert.ok(e instanceof Deno.errors.BadResource, "Deno's class for it");
    assert.match(e.message, /closed/);
  }
  // Closing again, or disposing, is harmless.
  op.close();
  op[Symbol.dispose]();
});

behavior(
  "close with a reader and writer open",
  rw,
  async ({ scheme, sync }) => {
    const { op } = buildService(scheme);
    op.writeSync("file", "content");
    const r = sync ? op.readerSync("file") : await op.reader("file");
    const w = sync ? op.writerSync("other") : await op.writer("other");
    op.close();
    // They keep working: they own what they need.
    const read = sync ? r.readSync(0) : await r.read(0);
    assert.equal(new TextDecoder().decode(read), "content");
    if (sync) {
      w.writeSync("x");
      w.closeSync();
    } else {
      await w.write("x");
      await w.close();
    }
    r.close();
  },
);

// ---------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------

behavior("empty path", rwl, async ({ api, cap }) => {
  const f = await fixture(api);
  const before = await snapshot(api);
  const calls: (() => Promise<unknown>)[] = [
    () => api.read(""),
    () => api.write("", "x"),
    () => api.delete(""),
    () => api.removeAll(""),
    () => api.reader(""),
    () => api.writer(""),
  ];
  if (cap.copy) {
    calls.push(() => api.copy("", newPath()), () => api.copy(f.path, ""));
  }
  if (cap.rename) {
    calls.push(() => api.rename("", newPath()), () => api.rename(f.path, ""));
  }
  for (const call of calls) await assertFails(call, "ConfigInvalid");
  await f.intact();
  assert.deepEqual(await snapshot(api), before);
  assert.equal((await api.stat("")).mode, "dir");
  // Creating the root, which exists, is harmless (memory may then list the
  // root's own entry, as it does for any created directory).
  await api.createDir("");
  await f.intact();
});

behavior("root path is not deleted", rwl, async ({ scheme, sync }) => {
  // "" is refused because it would act on the whole root by accident; "/"
  // names the same root and must not delete it (or everything in it) either.
  const service = buildService(scheme);
  using op = service.op;
  const problems: string[] = [];
  for (const path of ["/", "//"]) {
    for (const name of ["delete", "removeAll"] as const) {
      op.writeSync("keep/me.txt", "precious");
      const call = `${name}${sync ? "Sync" : ""}(${JSON.stringify(path)})`;
      try {
        await (name === "delete"
          ? (sync ? op.deleteSync(path) : op.delete(path))
          : (sync ? op.removeAllSync(path) : op.removeAll(path)));
        problems.push(`${call} succeeded`);
      } catch (e) {
        const kind = (e as OpendalError).kind;
        if (kind !== "ConfigInvalid") {
          problems.push(`${call} failed with ${kind}`);
        }
      }
      if (!op.existsSync("keep/me.txt")) {
        problems.push(`${call} deleted keep/me.txt`);
      }
      if (scheme === "fs") {
        const root = service.config.root;
        const exists = (() => {
          try {
            return Deno.statSync(root).isDirectory;
          } catch {
            return false;
          }
        })();
        if (!exists) problems.push(`${call} deleted the root directory`);
      }
    }
  }
  assert.deepEqual(problems, [], problems.join("; "));
});

behavior("path with a NUL", rwl, async ({ api, cap }) => {
  const f = await fixture(api);
  const before = await snapshot(api);
  const bad = `${newPath()}\0.txt`;
  const calls: (() => Promise<unknown>)[] = [
    () => api.write(bad, "x"),
    () => api.read(bad),
    () => api.stat(bad),
    () => api.exists(bad),
    () => api.delete(bad),
    () => api.createDir(`${bad}/`),
    () => api.list(bad),
    () => api.writer(bad),
    () => api.reader(bad),
    // The NUL cuts the path short in C: it must not reach the existing file.
    () => api.delete(`${f.path}\0`),
    () => api.write(`${f.path}\0suffix`, "x"),
  ];
  if (cap.copy) calls.push(() => api.copy(f.path, bad));
  if (cap.rename) calls.push(() => api.rename(f.path, bad));
  for (const call of calls) {
    const e = await assertFails(call, "ConfigInvalid");
    assert.match(e.message, /NUL/);
  }
  await f.intact();
  assert.deepEqual(await snapshot(api), before);
});

behavior("path with a lone surrogate", rwl, async ({ api, cap }) => {
  const f = await fixture(api);
  const before = await snapshot(api);
  for (
    const bad of [
      `${newPath()}\uD800.txt`,
      `\uDC00${newPath()}`,
      `${newPath()}/é\uDBFF`,
    ]
  ) {
    const calls: (() => Promise<unknown>)[] = [
      () => api.write(bad, "x"),
      () => api.read(bad),
      () => api.stat(bad),
      () => api.delete(bad),
      () => api.createDir(`${bad}/`),
      () => api.list(bad),
      () => api.writer(bad),
    ];
    if (cap.copy) calls.push(() => api.copy(f.path, bad));
    if (cap.rename) calls.push(() => api.rename(f.path, bad));
    for (const call of calls) {
      const e = await assertFails(call, "ConfigInvalid");
      assert.match(e.message, /surrogate/);
    }
  }
  await f.intact();
  assert.deepEqual(await snapshot(api), before);
});

behavior("path of the wrong type", rwl, async ({ api }) => {
  const before = await snapshot(api);
  for (const bad of [undefined, null, 42, {}, ["a"]]) {
    const path = bad as unknown as string;
    await assertFails(() => api.write(path, "x"), "ConfigInvalid");
    await assertFails(() => api.read(path), "ConfigInvalid");
    await assertFails(() => api.delete(path), "ConfigInvalid");
  }
  assert.deepEqual(await snapshot(api), before);
});

behavior(
  "reading a directory",
  (c) => rw(c) && c.createDir,
  async ({ api }) => {
    const dir = newDir();
    await api.createDir(dir);
    await api.write(`${dir}child`, "child");
    const e = await assertFails(api.read(dir), "IsADirectory");
    assert.ok(e instanceof Deno.errors.IsADirectory);
    await assertFails(async () => {
      const r = await api.reader(dir);
      try {
        await r.read(0);
      } finally {
        r.close();
      }
    }, "IsADirectory");
    assert.equal((await api.stat(dir)).mode, "dir");
    assert.equal(await api.readText(`${dir}child`), "child");
  },
);

behavior("writing to a path ending in /", rwl, async ({ api }) => {
  const before = await snapshot(api);
  const dir = newDir();
  const e = await assertFails(api.write(dir, "x"), "IsADirectory");
  assert.ok(e instanceof Deno.errors.IsADirectory);
  await assertFails(async () => {
    const w = await api.writer(dir);
    await w.write("x");
    await w.close();
  }, "IsADirectory");
  assert.deepEqual(await snapshot(api), before);
});

// ---------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------

behavior("write data of a wrong type", rwl, async ({ api, sync }) => {
  const f = await fixture(api);
  const before = await snapshot(api);
  const bad: unknown[] = [
    123,
    true,
    null,
    undefined,
    {},
    [1, 2, 3],
    Symbol("data"),
    { byteLength: 3 },
  ];
  // Streams and blobs are for async write only.
  if (sync) bad.push(new Blob(["x"]), ReadableStream.from([new Uint8Array(1)]));
  for (const data of bad) {
    await assertFails(
      () => api.write(newPath(), data as string),
      "ConfigInvalid",
    );
    await assertFails(() => api.write(f.path, data as string), "ConfigInvalid");
  }
  const w = await api.writer(newPath());
  for (const data of [123, null, {}, new Blob(["x"])]) {
    await assertFails(() => w.write(data as string), "ConfigInvalid");
  }
  await w.abort().catch(() => {});
  await f.intact();
  const after = await snapshot(api);
  // An fs writer that cannot abort leaves its (empty) file: ignore it.
  assert.deepEqual(after.filter((p) => p !== w.raw.path), before);
});

behavior("bad input errors are OpendalErrors", rw, async ({ api }) => {
  // Thrown synchronously or as a rejection, the class is the same.
  try {
    await api.read("", {});
    assert.fail("must fail");
  } catch (e) {
    assert.ok(e instanceof OpendalError);
    assert.ok(e instanceof Error);
    assert.equal(e.name, "OpendalError");
    assertKind(e, "ConfigInvalid");
    assert.equal(e.temporary, false);
  }
});

// ---------------------------------------------------------------------------
// Isolation of roots
// ---------------------------------------------------------------------------

Deno.test({
  name: "fs: two roots are isolated",
  ignore: !testedSchemes().includes("fs"),
  fn: async () => {
    const rootA = await Deno.makeTempDir({ prefix: "opendal-deno-a-" });
    const rootB = await Deno.makeTempDir({ prefix: "opendal-deno-b-" });
    try {
      using a = new FsOperator({ root: rootA });
      using b = new FsOperator({ root: rootB });
      await a.write("same.txt", "from A");
      await b.write("same.txt", "from B");
      await a.write("only-a/x.txt", "A only");

      assert.equal(await a.readText("same.txt"), "from A");
      assert.equal(await b.readText("same.txt"), "from B");
      assert.equal(await b.exists("only-a/x.txt"), false);
      assert.deepEqual(
        (await Array.fromAsync(b.list("", { recursive: true })))
          .map((e) => e.path).filter((p) => p !== "/").sort(),
        ["same.txt"],
      );

      // On disk, each file is under its own root.
      assert.equal(await Deno.readTextFile(`${rootA}/same.txt`), "from A");
      assert.equal(await Deno.readTextFile(`${rootB}/same.txt`), "from B");
      assert.equal(await Deno.readTextFile(`${rootA}/only-a/x.txt`), "A only");

      // Neither `..` nor an absolute path leaves the root.
      const nameB = rootB.split("/").pop()!;
      await assertFails(a.read(`../${nameB}/same.txt`), "NotFound");
      await assertFails(a.read(`${rootB}/same.txt`), "NotFound");
      await assertFails(a.delete(`../${nameB}/same.txt`), "NotFound").catch(
        () => {}, // Deleting what is not there may succeed: check the disk.
      );
      await a.write(`${rootB}/abs.txt`, "inside A");
      assert.equal(await b.exists("abs.txt"), false);
      await assertFails(
        a.write(`../${nameB}/escaped.txt`, "escaped"),
        "NotFound",
      ).catch(() => {});
      assert.equal(await b.exists("escaped.txt"), false);
      assert.equal(await Deno.readTextFile(`${rootB}/same.txt`), "from B");

      // Removing everything in A leaves B alone.
      await a.removeAll("only-a/");
      await a.delete("same.txt");
      assert.equal(await b.readText("same.txt"), "from B");
    } finally {
      await Deno.remove(rootA, { recursive: true }).catch(() => {});
      await Deno.remove(rootB, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name: "memory: two operators are isolated",
  ignore: !testedSchemes().includes("memory"),
  fn: async () => {
    using a = new Operator("memory");
    using b = new Operator("memory");
    await a.write("same.txt", "from A");
    assert.equal(await b.exists("same.txt"), false);
    await b.write("same.txt", "from B");
    assert.equal(await a.readText("same.txt"), "from A");
  },
});

// ---------------------------------------------------------------------------
// Blocking calls take no signal
// ---------------------------------------------------------------------------

Deno.test("a signal given to a blocking call is refused, and no type takes one", () => {
  using op = new Operator("memory");
  op.writeSync("file", "content");
  const signal = new AbortController().signal;
  const calls: [string, () => unknown][] = [
    // @ts-expect-error: blocking calls take no signal
    ["stat", () => op.statSync("file", { signal })],
    // @ts-expect-error: blocking calls take no signal
    ["read", () => op.readSync("file", { signal })],
    // @ts-expect-error: blocking calls take no signal
    ["read", () => op.readTextSync("file", { signal })],
    // @ts-expect-error: blocking calls take no signal
    ["write", () => op.writeSync("other", "x", { signal })],
    // @ts-expect-error: blocking calls take no signal
    ["delete", () => op.deleteSync("file", { signal })],
    // @ts-expect-error: blocking calls take no signal
    ["copy", () => op.copySync("file", "copy", { signal })],
    // @ts-expect-error: blocking calls take no signal
    ["rename", () => op.renameSync("file", "moved", { signal })],
    // @ts-expect-error: blocking calls take no signal
    ["list", () => [...op.listSync("", { signal })]],
    // @ts-expect-error: blocking calls take no signal
    ["reader", () => op.readerSync("file", { signal })],
    // @ts-expect-error: blocking calls take no signal
    ["writer", () => op.writerSync("other", { signal })],
  ];
  for (const [operation, call] of calls) {
    const e = assertThrowsNow(call, "ConfigInvalid");
    assert.match(e.message, new RegExp(`^${operation}Sync takes no signal`));
  }
  assert.equal(op.readTextSync("file"), "content", "nothing moved");
  assert.deepEqual(
    [...op.listSync("")].map((e) => e.path).filter((p) => p !== "/"),
    ["file"],
    "nothing written, copied or renamed",
  );
  // `signal: undefined` is no signal at all.
  assert.equal(
    op.readTextSync("file", { signal: undefined } as object),
    "content",
  );
});
