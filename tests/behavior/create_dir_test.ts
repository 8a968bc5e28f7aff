/**
 * check and create_dir: OpenDAL's async_create_dir/blocking_create_dir
 * cases [create_dir + stat].
 */

import {
  assert,
  assertFails,
  behavior,
  type Gate,
  newDir,
  newPath,
} from "./harness.ts";

const gate: Gate = (c) => c.createDir && c.stat;

behavior("check", () => true, async ({ api }) => {
  await api.check();
});

behavior("create dir", gate, async ({ api }) => {
  const path = newDir();
  await api.createDir(path);
  const meta = await api.stat(path);
  assert.equal(meta.mode, "dir");
  assert.equal(meta.isDirectory, true);
});

behavior("create dir existing", gate, async ({ api }) => {
  const path = newDir();
  await api.createDir(path);
  await api.createDir(path);
  assert.equal((await api.stat(path)).mode, "dir");
});

behavior("create dir nested", gate, async ({ api }) => {
  const top = newDir();
  const path = `${top}a/b/c/`;
  await api.createDir(path);
  assert.equal((await api.stat(path)).mode, "dir");
  // The parents exist too, where the service has real directories.
  assert.equal((await api.stat(`${top}a/b/`)).mode, "dir");
});

behavior("create dir keeps its content", gate, async ({ api }) => {
  const dir = newDir();
  const file = `${dir}${newPath()}`;
  await api.write(file, "content");
  await api.createDir(dir);
  assert.equal(await api.readText(file), "content");
});

behavior(
  "create dir over a file",
  (c) => gate(c) && c.write,
  async ({ api, scheme }) => {
    // Where directories are real (fs), a path cannot be a file and a
    // directory at once; object stores may allow both.
    const path = newPath();
    await api.write(path, "file");
    if (scheme === "fs") {
      await assertFails(api.createDir(`${path}/`), "AlreadyExists");
    }
    assert.equal(await api.readText(path), "file");
  },
);
