/**
 * restore on S3: undelete the latest deleted state, or promote a version.
 * Runs when OPENDAL_TEST names s3 (moto): the suite's bucket keeps no
 * versions, so this makes its own versioned bucket (moto takes unsigned
 * bucket requests).
 */
import assert from "node:assert/strict";
import { S3Operator } from "@opendal/core/services/s3";
import {
  assertFails,
  configFromEnv,
  testedSchemes,
} from "../behavior/harness.ts";

// moto only: s3rver keeps no versions and answers a multi-object delete
// with a 500 (scripts/services/start.sh), and this test makes a versioned bucket.
const ignore = !testedSchemes().includes("s3") ||
  Deno.env.get("OPENDAL_TEST_SERVER") !== "moto";

/** An operator on a fresh versioned bucket. */
async function versioned(): Promise<S3Operator> {
  const config = configFromEnv("s3");
  const bucket = `restore-${crypto.randomUUID()}`;
  const url = `${config.endpoint}/${bucket}`;
  for (
    const [target, body] of [
      [url, null],
      [
        `${url}?versioning`,
        '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>',
      ],
    ]
  ) {
    const res = await fetch(target!, {
      method: "PUT",
      headers: { "content-type": "application/xml" },
      body,
    });
    await res.body?.cancel();
    assert.equal(res.status, 200, `PUT ${target}`);
  }
  return new S3Operator({ ...config, bucket });
}

Deno.test({
  name:
    "s3: restore undeletes the latest version, and promotes a version given",
  ignore,
  async fn() {
    using op = await versioned();
    assert.equal(op.capability().restore, true);
    const first = await op.write("report.txt", "first");
    assert.ok(first.version, "a versioned bucket returns versions");
    await op.write("report.txt", "second");
    await op.delete("report.txt");
    assert.equal(await op.exists("report.txt"), false);
    await op.restore("report.txt");
    assert.equal(await op.readText("report.txt"), "second");
    // Restoring what is live succeeds and changes nothing.
    op.restoreSync("report.txt");
    assert.equal(await op.readText("report.txt"), "second");
    await op.restore("report.txt", { version: first.version });
    assert.equal(await op.readText("report.txt"), "first");
    const e = await assertFails(op.restore("never.txt"), "NotFound");
    assert.match(
      e.message,
      /^no live object or current delete marker exists: restore "never\.txt"$/,
    );
    await assertFails(op.restore("dir/"), "IsADirectory");
  },
});
