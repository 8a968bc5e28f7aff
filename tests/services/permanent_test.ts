/**
 * Permanent failures of real services are not marked temporary, and their
 * messages lead with the cause. Runs for the service named by OPENDAL_TEST
 * (see scripts/test_services.sh); ignored for the others.
 *
 * A `LoggingLayer` below a `RetryLayer` counts the attempts: a permanent
 * failure is tried once.
 */
import assert from "node:assert/strict";
import { OpendalError, Operator } from "@opendal/core";
import { LoggingLayer, type LogRecord, RetryLayer } from "@opendal/core/layers";
import { configFromEnv, testedSchemes } from "../behavior/harness.ts";

const schemes = testedSchemes();

/** `op` behind a quick retry, and the failed attempts it logs. */
function retried(op: Operator): { op: Operator; failures: LogRecord[] } {
  const failures: LogRecord[] = [];
  const layered = op
    .layer(new LoggingLayer({ level: "warn", sink: (r) => failures.push(r) }))
    .layer(new RetryLayer({ maxTimes: 3, minDelay: 1, maxDelay: 1 }));
  return { op: layered, failures };
}

async function failure(p: Promise<unknown>): Promise<OpendalError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof OpendalError, String(e));
    return e;
  }
  assert.fail("did not fail");
}

Deno.test({
  name: "s3: a missing bucket is a permanent NoSuchBucket, and check() says so",
  ignore: !schemes.includes("s3"),
  async fn() {
    const { op, failures } = retried(
      new Operator("s3", { ...configFromEnv("s3"), bucket: "no-such-bucket" }),
    );
    using _ = op;
    const checked = await failure(op.check());
    assert.equal(checked.temporary, false);
    assert.match(checked.message, /^NoSuchBucket: /);
    const read = await failure(op.read("x"));
    assert.equal(read.kind, "ConfigInvalid");
    assert.match(read.message, /^NoSuchBucket: .*: read "x"$/);
    assert.match((read.cause as Error).message, /status: 404/);
    // A HEAD answer has no body: stat cannot tell the bucket from the key.
    const stat = await failure(op.stat("x"));
    assert.equal(stat.kind, "NotFound");
    assert.equal(failures.length, 3, "each operation tried once");
  },
});

Deno.test({
  name: "sftp: reading a directory is permanent: tried once",
  ignore: !schemes.includes("sftp"),
  async fn() {
    const base = new Operator("sftp", configFromEnv("sftp"));
    const dir = `${crypto.randomUUID()}/`;
    await base.createDir(dir);
    const { op, failures } = retried(base);
    using _ = op;
    try {
      const e = await failure(op.read(dir.slice(0, -1)));
      assert.equal(e.temporary, false);
      assert.equal(failures.length, 1, failures.map((f) => f.message).join());
    } finally {
      await op.delete(dir);
    }
  },
});
