/**
 * Operator.fromUri and the service classes' fromUri: OpenDAL's URI parsing,
 * options on top, and short ConfigInvalid errors that never repeat the URI.
 */

import { Operator } from "@opendal/core";
import { FsOperator } from "@opendal/core/services/fs";
import { MemoryOperator } from "@opendal/core/services/memory";
import { S3Operator } from "@opendal/core/services/s3";
import { assert, assertThrowsNow } from "../behavior/harness.ts";

Deno.test("fromUri: fs:// roots the operator at the URI's path", async () => {
  const dir = await Deno.makeTempDir();
  using op = Operator.fromUri(`fs://${dir}`);
  assert.equal(op.scheme, "fs");
  assert.equal(op.info().root, dir);
  await op.write("a.txt", "from a URI");
  assert.equal(await Deno.readTextFile(`${dir}/a.txt`), "from a URI");
  // The service class gives its own class, and options on top of the URI.
  using typed = FsOperator.fromUri(`fs://${dir}`, { root: `${dir}/sub` });
  assert.ok(typed instanceof FsOperator);
  await typed.write("b.txt", "b");
  assert.equal(await Deno.readTextFile(`${dir}/sub/b.txt`), "b");
});

Deno.test("fromUri: s3://bucket/prefix takes the bucket, root and query", () => {
  using op = S3Operator.fromUri(
    "s3://photos/2024/?region=eu-west-1&endpoint=http://127.0.0.1:1",
    { disableConfigLoad: true, disableEc2Metadata: true },
  );
  assert.ok(op instanceof S3Operator);
  const info = op.info();
  assert.equal(info.scheme, "s3");
  assert.equal(info.name, "photos");
  assert.equal(info.root, "/2024/");
  using bare = Operator.fromUri("memory");
  assert.equal(bare.scheme, "memory");
  using memory = MemoryOperator.fromUri("memory://");
  assert.ok(memory instanceof MemoryOperator);
});

Deno.test("fromUri: bad URIs are ConfigInvalid in short words, without the URI", () => {
  const secret = "s3cr3t-password";
  const cases: [() => unknown, string, RegExp][] = [
    [
      () => Operator.fromUri(`s3://user:${secret}@[bad/x`),
      "ConfigInvalid",
      /^the URI could not be parsed: invalid IPv6 address$/,
    ],
    [
      () => Operator.fromUri(`memory://x/${secret}?regoin=1&zone=2`),
      "ConfigInvalid",
      /^unknown option "regoin" for the memory service/,
    ],
    [
      () => S3Operator.fromUri(`gcs://bucket/${secret}`),
      "ConfigInvalid",
      /^the URI names the "gcs" service, not "s3"$/,
    ],
    [
      () => Operator.fromUri(`nosuch://bucket/${secret}`),
      "Unsupported",
      /^this library has no "nosuch" service \(it has: .*memory/,
    ],
    [
      () => Operator.fromUri(3 as unknown as string),
      "ConfigInvalid",
      /^uri must be a string, got number$/,
    ],
    [
      () => Operator.fromUri("memory://", { root: {} as unknown as string }),
      "ConfigInvalid",
      /^option root must be a string, number or boolean$/,
    ],
  ];
  for (const [call, kind, message] of cases) {
    const e = assertThrowsNow(call, kind as "ConfigInvalid");
    assert.match(e.message, message);
    assert.ok(!e.message.includes(secret), e.message);
    assert.ok(!String((e.cause as Error)?.message).includes(secret));
    assert.match(e.stack!, /from_uri_test\.ts/, "the caller's frame");
  }
});
