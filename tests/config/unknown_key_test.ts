/**
 * Config keys are checked by the library before OpenDAL sees them: an
 * unknown key is `ConfigInvalid` naming it and the closest valid key, for
 * every way a config arrives (the `Operator` constructor, typed service
 * classes, a config parsed from JSON, `OPENDAL_<SCHEME>_*` variables, the
 * CLI's `-o`).
 */
import assert from "node:assert/strict";
import { OpendalError, Operator } from "@opendal/core";
import { S3Operator, type S3Options } from "@opendal/core/services/s3";
import { MemoryOperator } from "@opendal/core/services/memory";
import { RedisOperator } from "@opendal/core/services/redis";
import { cli } from "../cli/run.ts";

/** Asserts `f` throws `ConfigInvalid` whose message says `says`. */
function refused(f: () => unknown, says: string | RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof OpendalError, String(e));
    assert.equal(e.kind, "ConfigInvalid");
    if (typeof says === "string") {
      assert.ok(e.message.includes(says), `${e.message}\nshould say ${says}`);
    } else assert.match(e.message, says);
    return true;
  });
}

Deno.test("a misspelt key names the key and the closest valid one", () => {
  refused(
    () => new Operator("s3", { bucket: "b", regoin: "us-east-1" }),
    'unknown option "regoin" for the s3 service: did you mean "region"?',
  );
  // camelCase in, camelCase out.
  refused(
    () => new Operator("s3", { bucket: "b", accesKeyId: "k" }),
    'unknown option "accesKeyId" for the s3 service: did you mean "accessKeyId"?',
  );
});

Deno.test("typed service classes get the same check", () => {
  const options = { bucket: "b", regoin: "us-east-1" } as S3Options;
  refused(
    () => new S3Operator(options),
    '"regoin" for the s3 service: did you mean "region"?',
  );
  refused(
    () => new MemoryOperator({ rot: "/x" } as never),
    'unknown option "rot" for the memory service: did you mean "root"?',
  );
});

Deno.test("a key with no near match lists what the service takes", () => {
  refused(
    () => new Operator("memory", { bucket: "b" }),
    'unknown option "bucket" for the memory service (it takes: root)',
  );
});

Deno.test("a config parsed from JSON is checked too", () => {
  const config = JSON.parse('{"bucket": "b", "region": "r", "endpiont": "x"}');
  refused(
    () => new Operator("s3", config),
    '"endpiont" for the s3 service: did you mean "endpoint"?',
  );
});

Deno.test("OpenDAL's spellings, aliases and camelCase all reach the service", async () => {
  // Aliases (aws_region) and any case (OpenDAL lower-cases keys) are valid.
  new Operator("s3", { bucket: "b", aws_region: "r", Endpoint: "http://h" })
    .close();
  // camelCase reaches OpenDAL as its snake_case key: a virtual-host-style
  // presigned URL puts the bucket in the host name.
  using op = new Operator("s3", {
    bucket: "photos",
    region: "us-east-1",
    endpoint: "http://s3.example.com",
    accessKeyId: "k",
    secretAccessKey: "s",
    enableVirtualHostStyle: true,
  });
  const signed = await op.presignRead("a.txt", 60);
  assert.equal(new URL(signed.url).host, "photos.s3.example.com");
});

Deno.test("durations in milliseconds still reach OpenDAL (redis defaultTtl)", () => {
  // The typed class sends `defaultTtl: "1500ms"`, which passes the key check.
  new RedisOperator({ endpoint: "tcp://127.0.0.1:1", defaultTtl: 1500 })
    .close();
});

Deno.test("cli -o with a misspelt key is refused before anything runs", async () => {
  const out = await cli(["ls", "memory:///", "-o", "roto=/x"]);
  assert.notEqual(out.code, 0);
  assert.match(
    out.stderr,
    /"roto" for the memory service: did you mean "root"\?/,
  );
});

Deno.test("an OPENDAL_<SCHEME>_* variable with an unknown key is refused by the CLI", async () => {
  const out = await cli(["ls", "memory:///"], {
    env: { OPENDAL_MEMORY_ROTO: "/x" },
  });
  assert.notEqual(out.code, 0);
  assert.match(out.stderr, /"roto" for the memory service/);
});
