/**
 * delete and removeAll: OpenDAL's async_delete/blocking_delete cases
 * [stat + delete + write].
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

const gate: Gate = (c) => c.stat && c.delete && c.write;

behavior("delete file", gate, async ({ api, cap }) => {
  const path = newPath();
  await api.write(path, genBytes(cap));
  await api.delete(path);
  await assertFails(api.stat(path), "NotFound");
  assert.equal(await api.exists(path), false);
});

behavior("delete empty dir", (c) => gate(c) && c.createDir, async ({ api }) => {
  const path = newDir();
  await api.createDir(path);
  await api.delete(path);
  await assertFails(api.stat(path), "NotFound");
});

behavior("delete with special chars", gate, async ({ api, cap }) => {
  const path = `${newPath()} !@#$%^&()_+-=;',.txt`;
  await api.write(path, genBytes(cap));
  await api.delete(path);
  await assertFails(api.stat(path), "NotFound");
});

behavior("delete not existing", gate, async ({ api }) => {
  await api.delete(newPath());
  await api.delete(`${newPath()}/${newPath()}`);
});

behavior("delete twice", gate, async ({ api, cap }) => {
  const path = newPath();
  await api.write(path, genBytes(cap));
  await api.delete(path);
  await api.delete(path);
  assert.equal(await api.exists(path), false);
});

behavior("delete leaves siblings", gate, async ({ api, cap }) => {
  const parent = newDir();
  const a = `${parent}a`;
  const b = `${parent}b`;
  const ab = `${parent}ab`;
  for (const p of [a, b, ab]) await api.write(p, genBytes(cap));
  await api.delete(a);
  assert.equal(await api.exists(a), false);
  assert.equal(await api.exists(b), true);
  // A longer name with the deleted one as prefix is untouched.
  assert.equal(await api.exists(ab), true);
});

behavior(
  "delete with version",
  (c) => gate(c) && c.deleteWithVersion,
  async ({ api, cap }) => {
    const path = newPath();
    await api.write(path, genBytes(cap));
    const version = (await api.stat(path)).version;
    assert.ok(version, "version must exist");

    await api.delete(path);
    await assertFails(api.stat(path), "NotFound");
    // The old version is still there until deleted by version.
    const old = await api.stat(path, { version });
    assert.equal(old.version, version);
    await api.delete(path, { version });
    await assertFails(api.stat(path, { version }), "NotFound");
  },
);

behavior(
  "delete with not existing version",
  (c) => gate(c) && c.deleteWithVersion,
  async ({ api, cap }) => {
    const other = newPath();
    await api.write(other, genBytes(cap));
    const version = (await api.stat(other)).version!;

    const path = newPath();
    await api.write(path, genBytes(cap));
    // Deleting a version that is not there succeeds, and deletes nothing.
    await api.delete(path, { version });
    assert.equal(await api.exists(path), true);
  },
);

behavior(
  "delete with recursive basic",
  (c) => gate(c) && c.deleteWithRecursive,
  async ({ api, cap }) => {
    const parent = newDir();
    const files = [
      `${parent}a`,
      `${parent}x/b`,
      `${parent}x/y/c`,
      `${parent}x/y/z/d`,
    ];
    for (const f of files) await api.write(f, genBytes(cap));
    const outside = `${parent.slice(0, -1)}-sibling`;
    await api.write(outside, "keep me");

    await api.delete(parent, { recursive: true });
    for (const f of files) {
      assert.equal(await api.exists(f), false, `${f} should be removed`);
    }
    // A path that only shares the prefix, not the directory, stays.
    assert.equal(await api.exists(outside), true);
  },
);

behavior(
  "remove all basic",
  (c) => gate(c) && c.list,
  async ({ api, cap }) => {
    const parent = newDir();
    const files = [`${parent}a`, `${parent}x/b`, `${parent}x/y/c`];
    for (const f of files) await api.write(f, genBytes(cap));

    await api.removeAll(parent);
    for (const f of files) {
      assert.equal(await api.exists(f), false, `${f} should be removed`);
    }
  },
);

behavior(
  "remove all with prefix exists",
  (c) => gate(c) && c.list && !c.createDir,
  async ({ api, cap }) => {
    const dir = newPath();
    const file = newPath();
    const path = `${dir}/${file}`;
    await api.write(path, genBytes(cap));
    assert.equal(await api.exists(path), true);
    await api.removeAll(`${dir}/`);
    assert.equal(await api.exists(path), false);
  },
);

behavior(
  "remove all not existing",
  (c) => gate(c) && c.list,
  async ({ api }) => {
    await api.removeAll(newDir());
  },
);

behavior("delete with leading slash", gate, async ({ api, cap }) => {
  const path = newPath();
  await api.write(`/${path}`, genBytes(cap));
  assert.equal(await api.exists(path), true);
  await api.delete(`/${path}`);
  assert.equal(await api.exists(path), false);
});

behavior(
  "delete with ifMatch",
  (c) => gate(c) && c.deleteWithIfMatch,
  async ({ api, cap }) => {
    const path = newPath();
    await api.write(path, genBytes(cap));
    const { etag } = await api.stat(path);
    assert.ok(etag, "the service gives an ETag");
    await assertFails(
      api.delete(path, { ifMatch: `"not-${etag}"` }),
      "ConditionNotMatch",
    );
    assert.equal(await api.exists(path), true);
    await api.delete(path, { ifMatch: etag });
    assert.equal(await api.exists(path), false);
  },
);

behavior(
  "delete with ifMatch where the service cannot",
  (c) => gate(c) && !c.deleteWithIfMatch,
  async ({ api, cap }) => {
    const path = newPath();
    await api.write(path, genBytes(cap));
    const e = await assertFails(
      api.delete(path, { ifMatch: '"x"' }),
      "Unsupported",
    );
    assert.match(e.message, /delete option ifMatch is not supported/);
    assert.equal(await api.exists(path), true);
  },
);

behavior(
  "delete with ifNoneMatch",
  (c) => gate(c) && c.deleteWithIfNoneMatch,
  async ({ api, cap }) => {
    const path = newPath();
    await api.write(path, genBytes(cap));
    const { etag } = await api.stat(path);
    assert.ok(etag, "the service gives an ETag");
    await assertFails(
      api.delete(path, { ifNoneMatch: etag }),
      "ConditionNotMatch",
    );
    assert.equal(await api.exists(path), true);
    await api.delete(path, { ifNoneMatch: `"not-${etag}"` });
    assert.equal(await api.exists(path), false);
  },
);

behavior(
  "delete with ifNoneMatch where the service cannot",
  (c) => gate(c) && !c.deleteWithIfNoneMatch,
  async ({ api, cap }) => {
    const path = newPath();
    await api.write(path, genBytes(cap));
    const e = await assertFails(
      api.delete(path, { ifNoneMatch: '"x"' }),
      "Unsupported",
    );
    assert.match(e.message, /delete option ifNoneMatch is not supported/);
    assert.equal(await api.exists(path), true);
  },
);
