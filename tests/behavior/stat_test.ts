/**
 * stat and exists: OpenDAL's async_stat/blocking_stat cases [stat + write].
 */

import {
  assert,
  assertFails,
  behavior,
  type Gate,
  genBytes,
  newDir,
  newPath,
} from "./harness.ts";

const gate: Gate = (c) => c.stat && c.write;

behavior("stat file", gate, async ({ api, cap }) => {
  const path = newPath();
  const content = genBytes(cap);
  await api.write(path, content);

  const meta = await api.stat(path);
  assert.equal(meta.mode, "file");
  assert.equal(meta.isFile, true);
  assert.equal(meta.isDirectory, false);
  assert.equal(meta.contentLength, content.byteLength);
  assert.deepEqual(meta.userMetadata, {});
  assert.equal(meta.isDeleted, false);

  // A file path with a trailing slash names a directory that is not there.
  if (cap.createDir) await assertFails(api.stat(`${path}/`), "NotFound");
});

behavior("stat dir", (c) => gate(c) && c.createDir, async ({ api }) => {
  const path = newDir();
  await api.createDir(path);

  const meta = await api.stat(path);
  assert.equal(meta.mode, "dir");
  assert.equal(meta.isDirectory, true);
  assert.equal(meta.isFile, false);

  // Without the slash: a directory, or NotFound, depending on the service.
  try {
    assert.equal((await api.stat(path.slice(0, -1))).mode, "dir");
  } catch (e) {
    assert.equal((e as { kind?: string }).kind, "NotFound", String(e));
  }
});

behavior(
  "stat nested parent dir",
  (c) => gate(c) && c.createDir,
  async ({ api, cap }) => {
    const parent = newPath();
    await api.write(`${parent}/${newPath()}`, genBytes(cap));
    assert.equal((await api.stat(`${parent}/`)).mode, "dir");
  },
);

behavior("stat with special chars", gate, async ({ api, cap }) => {
  const path = `${newPath()} !@#$%^&()_+-=;',.txt`;
  const content = genBytes(cap);
  await api.write(path, content);
  const meta = await api.stat(path);
  assert.equal(meta.mode, "file");
  assert.equal(meta.contentLength, content.byteLength);
});

behavior("stat with non-ascii name", gate, async ({ api, cap }) => {
  const path = `${newPath()}/中文 ünïcödé 😀.txt`;
  const content = genBytes(cap);
  await api.write(path, content);
  const meta = await api.stat(path);
  assert.equal(meta.mode, "file");
  assert.equal(meta.contentLength, content.byteLength);
});

behavior("stat not cleaned path", gate, async ({ api, cap }) => {
  const path = newPath();
  const content = genBytes(cap);
  await api.write(path, content);
  const meta = await api.stat(`//${path}`);
  assert.equal(meta.mode, "file");
  assert.equal(meta.contentLength, content.byteLength);
});

behavior("stat not exist", gate, async ({ api, cap }) => {
  const path = newPath();
  const e = await assertFails(api.stat(path), "NotFound");
  // The cause first, then the operation and path (as Deno's errors read).
  assert.ok(e.message.endsWith(`: stat ${JSON.stringify(path)}`), e.message);
  assert.equal(e.operation, "stat");
  assert.equal(e.path, path);
  if (cap.createDir) await assertFails(api.stat(`${path}/`), "NotFound");
});

behavior("stat root", gate, async ({ api }) => {
  assert.equal((await api.stat("")).mode, "dir");
  assert.equal((await api.stat("/")).mode, "dir");
});

behavior("stat last modified is a date", gate, async ({ api, cap }) => {
  const path = newPath();
  const before = Date.now();
  await api.write(path, genBytes(cap));
  const modified = (await api.stat(path)).lastModified;
  if (modified === undefined) return; // The service does not report it.
  assert.ok(modified instanceof Date);
  // Within a generous minute of the write (clock skew on remote services).
  assert.ok(Math.abs(modified.getTime() - before) < 60_000, `${modified}`);
});

behavior(
  "stat with if match",
  (c) => gate(c) && c.statWithIfMatch,
  async ({ api, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    await api.write(path, content);
    const meta = await api.stat(path);
    assert.ok(meta.etag, "etag must exist");

    await assertFails(
      api.stat(path, { ifMatch: '"invalid_etag"' }),
      "ConditionNotMatch",
    );
    const ok = await api.stat(path, { ifMatch: meta.etag });
    assert.equal(ok.contentLength, content.byteLength);
  },
);

behavior(
  "stat with if none match",
  (c) => gate(c) && c.statWithIfNoneMatch,
  async ({ api, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    await api.write(path, content);
    const meta = await api.stat(path);
    assert.ok(meta.etag, "etag must exist");

    await assertFails(
      api.stat(path, { ifNoneMatch: meta.etag }),
      "ConditionNotMatch",
    );
    const ok = await api.stat(path, { ifNoneMatch: '"invalid_etag"' });
    assert.equal(ok.mode, meta.mode);
    assert.equal(ok.contentLength, meta.contentLength);
    await assertFails(
      api.stat(newPath(), { ifNoneMatch: meta.etag }),
      "NotFound",
    );
  },
);

behavior(
  "stat with if modified since",
  (c) => gate(c) && c.statWithIfModifiedSince,
  async ({ api, cap }) => {
    const path = newPath();
    await api.write(path, genBytes(cap));
    const meta = await api.stat(path);
    const last = meta.lastModified!.getTime();

    const res = await api.stat(path, {
      ifModifiedSince: new Date(last - 1000),
    });
    assert.equal(res.lastModified?.getTime(), last);

    await new Promise((r) => setTimeout(r, 1000));
    await assertFails(
      api.stat(path, { ifModifiedSince: new Date(last + 1000) }),
      "ConditionNotMatch",
    );
  },
);

behavior(
  "stat with if unmodified since",
  (c) => gate(c) && c.statWithIfUnmodifiedSince,
  async ({ api, cap }) => {
    const path = newPath();
    await api.write(path, genBytes(cap));
    const meta = await api.stat(path);
    const last = meta.lastModified!.getTime();

    await assertFails(
      api.stat(path, { ifUnmodifiedSince: new Date(last - 1000) }),
      "ConditionNotMatch",
    );
    await new Promise((r) => setTimeout(r, 1000));
    const res = await api.stat(path, {
      ifUnmodifiedSince: new Date(last + 1000),
    });
    assert.equal(res.lastModified?.getTime(), last);
  },
);

behavior(
  "stat with version",
  (c) => gate(c) && c.statWithVersion,
  async ({ api, cap }) => {
    const path = newPath();
    await api.write(path, genBytes(cap));
    const first = await api.stat(path);
    assert.ok(first.version, "version must exist");

    await api.write(path, genBytes(cap));
    const second = await api.stat(path);
    assert.ok(second.version, "version must exist");
    assert.notEqual(first.version, second.version);

    const old = await api.stat(path, { version: first.version });
    assert.equal(old.version, first.version);
    assert.equal(old.contentLength, first.contentLength);
  },
);

behavior(
  "stat with not existing version",
  (c) => gate(c) && c.statWithVersion,
  async ({ api, cap }) => {
    // A real version id, of another object.
    const other = newPath();
    await api.write(other, genBytes(cap));
    const version = (await api.stat(other)).version!;

    const path = newPath();
    await api.write(path, genBytes(cap));
    await assertFails(api.stat(path, { version }), "NotFound");
  },
);

behavior("exists", gate, async ({ api, cap }) => {
  const path = newPath();
  assert.equal(await api.exists(path), false);
  await api.write(path, genBytes(cap));
  assert.equal(await api.exists(path), true);
  if (cap.createDir) {
    const dir = newDir();
    assert.equal(await api.exists(dir), false);
    await api.createDir(dir);
    assert.equal(await api.exists(dir), true);
  }
  if (cap.delete) {
    await api.delete(path);
    assert.equal(await api.exists(path), false);
  }
});
