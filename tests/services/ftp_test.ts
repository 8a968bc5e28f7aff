/**
 * ftp's directories. OpenDAL 0.59.5's ftp lister never returns the listed
 * directory itself, so its recursive delete leaves every directory behind;
 * `removeAll` removes them (rust/src/sweep.rs). The behavior suite, like
 * OpenDAL's, leaves directories out of its `removeAll` checks, so they are
 * checked here. Runs when OPENDAL_TEST names ftp (see
 * scripts/test_services.sh); ignored for the others.
 */
import assert from "node:assert/strict";
import { buildService, newDir, testedSchemes } from "../behavior/harness.ts";

const ignore = !testedSchemes().includes("ftp");

Deno.test({
  name: "ftp: removeAll leaves no directory behind, empty or not",
  ignore,
  async fn() {
    using op = buildService("ftp").op;
    const dir = newDir();
    await op.write(`${dir}snap/1/a.txt`, "a");
    await op.write(`${dir}snap/1/deep/b.txt`, "b");
    await op.createDir(`${dir}snap/1/empty/`);
    await op.createDir(`${dir}snap/2/`);
    await op.write(`${dir}keep.txt`, "kept");

    await op.removeAll(`${dir}snap/`);

    const left = [];
    for await (const e of op.list(dir)) left.push(e.path);
    assert.deepEqual(left.filter((p) => p !== dir), [`${dir}keep.txt`]);
    assert.equal(await op.exists(`${dir}snap/`), false);
    assert.equal(await op.readText(`${dir}keep.txt`), "kept");
  },
});

Deno.test({
  name: "ftp: removeAllSync of a dir named without its slash removes it",
  ignore,
  fn() {
    using op = buildService("ftp").op;
    const dir = newDir();
    op.createDirSync(`${dir}a/b/c/`);
    op.writeSync(`${dir}a/f.txt`, "x");

    op.removeAllSync(`${dir}a`);

    assert.equal(op.existsSync(`${dir}a/`), false);
    assert.equal(op.existsSync(`${dir}a/b/`), false);
  },
});
