/**
 * list: OpenDAL's async_list/blocking_list cases [read + write + list].
 *
 * Like OpenDAL's suite, the recursive cases run wherever `list` does:
 * OpenDAL simulates recursive listing for services without it natively.
 */

import { diagnostics, type Entry, type Operator } from "@opendal/core";
import {
  assert,
  behavior,
  behaviorAsync,
  collectGarbage,
  type Gate,
  genBytes,
  newDir,
  newPath,
  pathsOf,
} from "./harness.ts";

const gate: Gate = (c) => c.read && c.write && c.list;
const withDirs: Gate = (c) => gate(c) && c.createDir;

const byPath = (entries: Entry[]): Map<string, Entry> =>
  new Map(entries.map((e) => [e.path, e]));

behavior("list dir", gate, async ({ api, cap }) => {
  const parent = newPath();
  const path = `${parent}/${newPath()}`;
  const content = genBytes(cap);
  await api.write(path, content);

  let found = false;
  for (const entry of await api.list(`${parent}/`)) {
    const meta = await api.stat(entry.path);
    if (entry.path === path) {
      assert.equal(meta.mode, "file");
      assert.equal(meta.contentLength, content.byteLength);
      assert.equal(entry.metadata.mode, "file");
      assert.equal(entry.name, path.slice(parent.length + 1));
      found = true;
    }
  }
  assert.ok(found, "file should be found in list");
});

behavior("list prefix", gate, async ({ api, cap }) => {
  const path = newPath();
  await api.write(path, genBytes(cap));

  const entries = await api.list(path);
  assert.equal(entries.length, 1);
  assert.equal(entries[0].path, path);
  assert.equal(entries[0].name, path);
  assert.equal(entries[0].metadata.mode, "file");
});

behavior("list rich dir", withDirs, async ({ api }) => {
  const parent = newDir();
  await api.createDir(parent);
  const expected = Array.from(
    { length: 11 },
    (_, i) => `${parent}file-${i}`,
  );
  for (const path of expected) await api.write(path, "test_list_rich_dir");
  expected.push(parent);

  const actual = await api.list(parent, { limit: 5 });
  assert.deepEqual(pathsOf(actual), expected.sort());
  await api.removeAll(parent);
});

/** A directory of 1100 files (more than one native batch of 1024), made once per operator. */
const bigDirs = new WeakMap<
  object,
  Promise<{ dir: string; files: string[] }>
>();
function bigDir(op: Operator): Promise<{ dir: string; files: string[] }> {
  let made = bigDirs.get(op);
  if (!made) {
    made = (async () => {
      const dir = newDir();
      const files = Array.from(
        { length: 1100 },
        (_, i) => `${dir}${String(i).padStart(4, "0")}`,
      );
      for (let i = 0; i < files.length; i += 100) {
        await Promise.all(files.slice(i, i + 100).map((p) => op.write(p, "x")));
      }
      return { dir, files };
    })();
    bigDirs.set(op, made);
  }
  return made;
}

behavior("list more than one batch", gate, async ({ api, op }) => {
  // The binding fetches entries in batches of 1024: cross a boundary.
  const { dir, files } = await bigDir(op);
  const listed = (await api.list(dir)).filter((e) => e.path !== dir);
  assert.deepEqual(pathsOf(listed), files);
});

behavior("list empty dir", withDirs, async ({ api }) => {
  const dir = newDir();
  await api.createDir(dir);

  for (
    const [path, recursive] of [
      [dir, false],
      [dir.slice(0, -1), false],
      [dir, true],
      [dir.slice(0, -1), true],
    ] as const
  ) {
    const entries = await api.list(path, { recursive });
    const what = `list ${path} recursive=${recursive}: ${pathsOf(entries)}`;
    assert.equal(entries.length, 1, `only the dir itself, ${what}`);
    assert.equal(entries[0].path, dir, what);
    assert.equal(entries[0].metadata.mode, "dir", what);
  }
});

behavior("list non exist dir", gate, async ({ api }) => {
  assert.deepEqual(await api.list(newDir()), []);
});

behavior("list non exist dir with recursive", gate, async ({ api }) => {
  assert.deepEqual(await api.list(newDir(), { recursive: true }), []);
});

behavior("list sub dir", withDirs, async ({ api }) => {
  const path = newDir();
  await api.createDir(path);

  const entries = await api.list("/");
  const entry = entries.find((e) => e.path === path);
  assert.ok(entry, `dir should be found in list, got ${pathsOf(entries)}`);
  assert.equal(entry.name, path);
  assert.equal((await api.stat(path)).mode, "dir");
});

behavior("list nested dir", withDirs, async ({ api }) => {
  const parent = newDir();
  await api.createDir(parent);
  const dir = `${parent}${newDir()}`;
  await api.createDir(dir);
  const filePath = `${dir}${newPath()}`;
  await api.write(filePath, "test_list_nested_dir");
  const dirPath = `${dir}${newDir()}`;
  await api.createDir(dirPath);

  const top = byPath(await api.list(parent));
  assert.equal(top.size, 2, `parent should get 2 entries: ${[...top.keys()]}`);
  assert.equal(top.get(parent)?.metadata.mode, "dir");
  assert.equal(top.get(dir)?.metadata.mode, "dir");

  const inner = byPath(await api.list(dir));
  assert.equal(inner.size, 3, `dir should get 3 entries: ${[...inner.keys()]}`);
  assert.ok(inner.has(filePath), "file should be found in list");
  let meta = await api.stat(filePath);
  assert.equal(meta.mode, "file");
  assert.equal(meta.contentLength, 20);
  assert.ok(inner.has(dirPath), "dir should be found in list");
  meta = await api.stat(dirPath);
  assert.equal(meta.mode, "dir");
  assert.equal(inner.get(dirPath)?.name, dirPath.slice(dir.length));
});

behavior("list dir with file path", gate, async ({ api, cap }) => {
  const parent = newPath();
  await api.write(`${parent}/${newPath()}`, genBytes(cap));

  const entries = await api.list(parent);
  assert.equal(entries.length, 1);
  assert.equal(entries[0].path, `${parent}/`);
  assert.equal(entries[0].metadata.mode, "dir");
});

behavior(
  "list with start after",
  (c) => withDirs(c) && c.listWithStartAfter,
  async ({ api }) => {
    const dir = newDir();
    await api.createDir(dir);
    const given = [0, 1, 2, 3, 4, 5].map((i) =>
      `${dir}file-${i}-${crypto.randomUUID()}`
    );
    for (const path of given) await api.write(path, "content");

    const actual = (await api.list(dir, { startAfter: given[2] }))
      .map((e) => e.path)
      .filter((p) => p !== dir);
    assert.deepEqual(actual, given.slice(3));
    await api.removeAll(dir);
  },
);

behavior("list root with recursive", withDirs, async ({ api }) => {
  await api.createDir("/");
  const actual = new Set(
    (await api.list("", { recursive: true })).map((e) => e.path),
  );
  assert.ok(actual.has("/"), "root should return itself");
  assert.ok(!actual.has(""), "root should not return empty");
});

const TREE = [
  "x/",
  "x/x/",
  "x/x/x/",
  "x/x/x/x/",
  "x/x/x/y",
  "x/x/y",
  "x/y",
  "x/yy",
];

behavior("list dir with recursive", withDirs, async ({ api }) => {
  const parent = newPath();
  for (const path of TREE) {
    if (path.endsWith("/")) await api.createDir(`${parent}/${path}`);
    else await api.write(`${parent}/${path}`, "test_scan");
  }
  const actual = (await api.list(`${parent}/x/`, { recursive: true }))
    .map((e) => e.path.slice(parent.length + 1))
    .sort();
  assert.deepEqual(actual, [...TREE].sort());
});

behavior(
  "list dir with recursive no trailing slash",
  withDirs,
  async ({ api }) => {
    const parent = newPath();
    for (const path of TREE) {
      if (path.endsWith("/")) await api.createDir(`${parent}/${path}`);
      else await api.write(`${parent}/${path}`, "test_scan");
    }
    const actual = (await api.list(`${parent}/x`, { recursive: true }))
      .map((e) => e.path.slice(parent.length + 1))
      .sort();
    assert.deepEqual(actual, [...TREE].sort());
  },
);

behavior("list file with recursive", gate, async ({ api }) => {
  const parent = newPath();
  for (const path of ["y", "yy"]) {
    await api.write(`${parent}/${path}`, "test_scan");
  }
  const actual = (await api.list(`${parent}/y`, { recursive: true }))
    .map((e) => e.path.slice(parent.length + 1))
    .sort();
  assert.deepEqual(actual, ["y", "yy"]);
});

behavior("list recursive entries carry their mode", gate, async ({ api }) => {
  const parent = newDir();
  await api.write(`${parent}a/b/c.txt`, "c");
  await api.write(`${parent}d.txt`, "d");
  for (const entry of await api.list(parent, { recursive: true })) {
    assert.equal(
      entry.metadata.mode,
      entry.path.endsWith("/") ? "dir" : "file",
      entry.path,
    );
    assert.equal(entry.name.endsWith("/"), entry.path.endsWith("/"));
    assert.ok(entry.path.endsWith(entry.name), `${entry.path} ${entry.name}`);
  }
});

behavior("remove all", withDirs, async ({ api }) => {
  const parent = newPath();
  const expected = [
    "x/",
    "x/y",
    "x/x/",
    "x/x/y",
    "x/x/x/",
    "x/x/x/y",
    "x/x/x/x/",
  ];
  for (const path of expected) {
    if (path.endsWith("/")) await api.createDir(`${parent}/${path}`);
    else await api.write(`${parent}/${path}`, "test_scan");
  }
  await api.removeAll(`${parent}/x/`);
  for (const path of expected) {
    if (path.endsWith("/")) continue;
    assert.equal(
      await api.exists(`${parent}/${path}`),
      false,
      `${parent}/${path} should be removed`,
    );
  }
});

behavior("list stops early", gate, async ({ op, sync }) => {
  const parent = newDir();
  for (let i = 0; i < 20; i++) await op.write(`${parent}${i}`, "x");
  // Leaving the loop releases the native lister; the operator keeps working.
  for (let round = 0; round < 50; round++) {
    let seen = 0;
    if (sync) {
      for (const _ of op.listSync(parent)) if (++seen === 2) break;
    } else {
      for await (const _ of op.list(parent)) if (++seen === 2) break;
    }
    assert.equal(seen, 2);
  }
  const files = (await Array.fromAsync(op.list(parent)))
    .filter((e) => e.path !== parent);
  assert.equal(files.length, 20);
});

behavior(
  "list survives garbage collection while iterating",
  gate,
  async ({ op, sync }) => {
    // More entries than one native batch (1024), so the lister is used again
    // after the collection.
    const { dir: parent, files: names } = await bigDir(op);
    const small = newDir();
    for (let i = 0; i < 20; i++) await op.write(`${small}${i}`, "x");
    // Warm the listing code up, so it runs optimized (optimized frames keep
    // only what is still used).
    const warm = async (rounds: number): Promise<void> => {
      for (let i = 0; i < rounds; i++) {
        if (sync) [...op.listSync(small)];
        else await Array.fromAsync(op.list(small));
      }
    };
    await warm(150);
    // Optimizing compilers work in the background: let them finish, then
    // run the optimized code.
    await new Promise((r) => setTimeout(r, 20));
    await warm(50);

    let seen = 0;
    if (sync) {
      for (const _ of op.listSync(parent)) {
        if (++seen === 1) await collectGarbage();
      }
    } else {
      for await (const _ of op.list(parent)) {
        if (++seen === 1) await collectGarbage();
      }
    }
    assert.ok(seen >= names.length, `saw ${seen} entries`);
  },
);

behaviorAsync("list with aborted signal", gate, async ({ op }) => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    Array.fromAsync(op.list("/", { signal: controller.signal })),
    (e: unknown) => e instanceof DOMException && e.name === "AbortError",
  );
});

/** Writes `count` small files below a fresh directory, 64 at a time. */
async function manyFiles(op: Operator, count: number): Promise<string> {
  const dir = newDir();
  for (let i = 0; i < count; i += 64) {
    await Promise.all(
      Array.from(
        { length: Math.min(64, count - i) },
        (_, j) => op.write(`${dir}${String(i + j).padStart(5, "0")}`, "x"),
      ),
    );
  }
  return dir;
}

/**
 * Removes what `manyFiles` wrote. Best effort: the emulators of Azure and
 * GCS refuse batch deletes (see OPENDAL_TEST_KNOWN_GAPS), and each run has
 * its own random root anyway.
 */
async function tidy(op: Operator, dir: string): Promise<void> {
  await op.removeAll(dir).catch(() => {});
}

// Memory takes 10 000 in a blink; a network service gets more than one page
// (S3 pages hold 1 000), so entries wait in a fetched batch when it aborts.
const manyFor = (scheme: string): number =>
  scheme === "memory" || scheme === "fs" ? 10_000 : 1_500;

behaviorAsync(
  "list abort takes effect on the next next()",
  gate,
  async ({ op, scheme }) => {
    const dir = await manyFiles(op, manyFor(scheme));
    const controller = new AbortController();
    let seen = 0;
    let afterAbort = 0;
    const listing = (async () => {
      for await (const _ of op.list(dir, { signal: controller.signal })) {
        if (controller.signal.aborted) afterAbort++;
        if (++seen === 10) controller.abort();
      }
    })();
    await assert.rejects(
      listing,
      (e: unknown) => e instanceof DOMException && e.name === "AbortError",
    );
    assert.equal(seen, 10);
    assert.equal(afterAbort, 0, "entries delivered after the abort");
    // An abort from elsewhere, while a batch waits, stops it just the same.
    const other = new AbortController();
    const it = op.list(dir, { signal: other.signal });
    assert.equal((await it.next()).done, false);
    other.abort();
    await assert.rejects(it.next(), (e: unknown) => e instanceof DOMException);
    assert.equal((await it.next()).done, true, "stopped for good");
    await tidy(op, dir);
  },
);

behaviorAsync(
  "list return() ends the listing, pending next() calls included",
  gate,
  async ({ op }) => {
    const dir = await manyFiles(op, 100);
    const baseline = diagnostics().handles;
    // Returned before the lister even opened: it must not open later.
    const early = op.list(dir);
    const first = early.next();
    const second = early.next();
    await early.return();
    assert.deepEqual(await first, { done: true, value: undefined });
    assert.deepEqual(await second, { done: true, value: undefined });
    assert.deepEqual(await early.next(), { done: true, value: undefined });

    // Returned midway, with a call pending.
    const midway = op.list(dir);
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      seen.add((await midway.next()).value!.path);
    }
    const pending = midway.next();
    await midway.return();
    const last = await pending;
    if (!last.done) seen.add(last.value.path);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(await midway.next(), { done: true, value: undefined });
    }
    assert.ok(seen.size <= 6, "nothing after return()");
    // Let any native work still running finish, then count handles.
    for (let i = 0; i < 100 && diagnostics().pending > 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(diagnostics().handles, baseline, "listers released");
    await tidy(op, dir);
  },
);

behavior(
  "list files with versions",
  (c) => gate(c) && c.listWithVersions,
  async ({ api }) => {
    const parent = newDir();
    const name = newPath();
    await api.write(`${parent}${name}`, "1");
    await api.write(`${parent}${name}`, "2");

    const entries = (await api.list(parent, { versions: true }))
      .filter((e) => e.path !== parent);
    assert.equal(entries.length, 2);
    assert.notEqual(entries[0].metadata.version, entries[1].metadata.version);
    for (const e of entries) {
      assert.equal(e.name, name);
      assert.equal(e.metadata.mode, "file");
    }
  },
);

behavior(
  "list with versions and limit",
  (c) => withDirs(c) && c.listWithVersions,
  async ({ api }) => {
    const parent = newDir();
    await api.createDir(parent);
    const files = Array.from({ length: 11 }, (_, i) => `${parent}file-${i}`);
    for (const path of files) {
      await api.write(path, "1");
      await api.write(path, "2");
    }
    const expected = [...files, ...files, parent].sort();
    const actual = pathsOf(
      await api.list(parent, { versions: true, limit: 5 }),
    );
    assert.deepEqual(actual, expected);
    await api.removeAll(parent);
  },
);

behavior(
  "list with versions and start after",
  (c) => gate(c) && c.listWithVersions && c.listWithStartAfter,
  async ({ api }) => {
    const dir = newDir();
    const given = [0, 1, 2, 3, 4, 5].map((i) =>
      `${dir}file-${i}-${crypto.randomUUID()}`
    );
    for (const path of given) {
      await api.write(path, "1");
      await api.write(path, "2");
    }
    const actual = pathsOf(
      await api.list(dir, { versions: true, startAfter: given[2] }),
    );
    const rest = given.slice(3);
    assert.deepEqual(actual, [...rest, ...rest].sort());
    await api.removeAll(dir);
  },
);

behavior(
  "list files with deleted",
  (c) => gate(c) && c.listWithDeleted && c.delete,
  async ({ api }) => {
    const path = `${newDir()}${newPath()}`;
    await api.write(path, "1");
    assert.equal((await api.list(path, { deleted: true })).length, 1);

    await api.write(path, "2");
    await api.delete(path);
    const markers = (await api.list(path, { deleted: true }))
      .filter((e) => e.path === path && e.metadata.isDeleted);
    assert.equal(markers.length, 1, "one delete marker");
  },
);
