/**
 * On fs, a copy onto the file it copies truncated that file first and lost
 * it: however the target reaches it (another spelling of the path, a
 * symbolic or hard link, another operator whose root overlaps). Every such
 * copy is `IsSameFile` and leaves the file whole; a rename onto the same
 * file loses nothing and stays allowed where the filesystem allows it.
 * (Spellings on every service are in tests/behavior/copy_rename_test.ts.)
 */

import assert from "node:assert/strict";
import { OpendalError } from "../../mod.ts";
import { FsOperator } from "../../services/fs.ts";

const content = new Uint8Array(3 * 1024 * 1024 + 5).map((_, i) => i % 251);

async function sameFile(call: () => Promise<unknown>, what: string) {
  const e = await call().then(() => undefined, (e) => e);
  assert.ok(e instanceof OpendalError, `${what}: ${e}`);
  assert.equal(e.kind, "IsSameFile", `${what}: ${e.message}`);
}

async function withDir(f: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "opendal-same-" });
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name:
    "fs: copying onto a link to the same file is refused, and loses nothing",
  ignore: Deno.build.os === "windows",
  fn: () =>
    withDir(async (dir) => {
      using op = new FsOperator({ root: dir });
      await op.write("d/f", content);
      await Deno.link(`${dir}/d/f`, `${dir}/d/hard`);
      await Deno.symlink(`${dir}/d/f`, `${dir}/d/soft`);
      await Deno.symlink(`${dir}/d`, `${dir}/alias`);
      for (const to of ["d/hard", "d/soft", "alias/f"]) {
        await sameFile(() => op.copy("d/f", to), `copy to ${to}`);
        assert.throws(() => op.copySync("d/f", to), /same file/);
        await sameFile(() => op.copyTo("d/f", op, to), `copyTo ${to}`);
        assert.deepEqual(await Deno.readFile(`${dir}/d/f`), content, to);
      }
      // A real copy next to them still works.
      await op.copy("d/f", "d/g");
      assert.deepEqual(await op.read("d/g"), content);
    }),
});

Deno.test("fs: two operators whose roots overlap reach one file", () =>
  withDir(async (dir) => {
    using outer = new FsOperator({ root: dir });
    using inner = new FsOperator({ root: `${dir}/d` });
    await outer.write("d/f", content);
    await sameFile(() => outer.copyTo("d/f", inner, "f"), "outer to inner");
    await sameFile(() => inner.copyTo("f", outer, "./d/f"), "inner to outer");
    assert.deepEqual(await outer.read("d/f"), content);
    await inner.copyTo("f", outer, "copied");
    assert.deepEqual(await outer.read("copied"), content);
  }));

Deno.test({
  name:
    "fs: renaming onto a hard link of the same file is allowed and loses nothing",
  ignore: Deno.build.os === "windows",
  fn: () =>
    withDir(async (dir) => {
      using op = new FsOperator({ root: dir });
      await op.write("f", content);
      await Deno.link(`${dir}/f`, `${dir}/hard`);
      await op.rename("f", "hard");
      assert.deepEqual(await Deno.readFile(`${dir}/hard`), content);
      await sameFile(() => op.rename("hard", "./hard"), "rename to ./hard");
      assert.deepEqual(await Deno.readFile(`${dir}/hard`), content);
    }),
});
