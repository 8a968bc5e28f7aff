/**
 * A slim library (built with `deno task build --services fs,s3`): it has
 * fs, memory and s3 and nothing else. scripts/test_slim.sh builds one and
 * runs this file against it (`OPENDAL_DENO_LIB`); it is not a `_test.ts`
 * file, so `deno task test`, which runs the full library, leaves it out.
 */
import assert from "node:assert/strict";
import { diagnostics, OpendalError, Operator } from "@opendal/core";
import { AzblobOperator } from "@opendal/core/services/azblob";
import { FsOperator } from "@opendal/core/services/fs";
import { S3Operator } from "@opendal/core/services/s3";

const lacks = (scheme: string) =>
  `this library was built without the "${scheme}" service ` +
  `(it has: fs, memory, s3); build one with it: ` +
  `\`deno task build --services fs,s3,${scheme}\` ` +
  `(cargo feature "services-${scheme}")`;

function isUnsupported(message: string) {
  return (e: unknown) => {
    assert.ok(e instanceof OpendalError, String(e));
    assert.equal(e.kind, "Unsupported");
    assert.equal(e.message, message);
    return true;
  };
}

Deno.test("the slim library has fs, memory and s3", () => {
  assert.deepEqual(diagnostics().services, ["fs", "memory", "s3"]);
});

Deno.test("a service left out is Unsupported, saying how to build it in", () => {
  const before = diagnostics().handles;
  assert.throws(
    () =>
      new AzblobOperator({
        container: "photos",
        endpoint: "https://account.blob.core.windows.net",
      }),
    isUnsupported(lacks("azblob")),
  );
  assert.throws(() => new Operator("redis"), isUnsupported(lacks("redis")));
  assert.throws(
    () => Operator.fromUri("gcs://bucket/dir"),
    isUnsupported(lacks("gcs")),
  );
  assert.equal(diagnostics().handles, before, "nothing was left behind");
});

Deno.test("fs writes and reads", async () => {
  const root = await Deno.makeTempDir();
  try {
    using op = new FsOperator({ root });
    await op.write("a/b.txt", "slim");
    assert.equal(await op.readText("a/b.txt"), "slim");
    assert.equal(await Deno.readTextFile(`${root}/a/b.txt`), "slim");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("memory and s3 construct", () => {
  using memory = new Operator("memory");
  assert.equal(memory.info().scheme, "memory");
  using s3 = new S3Operator({ bucket: "photos", region: "us-east-1" });
  assert.equal(s3.info().scheme, "s3");
});
