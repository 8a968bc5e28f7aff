// The S3 client benchmark trusts its checks to catch a client that does
// less (truncates, returns another object, or stale bytes): they must fail.
import assert from "node:assert/strict";
import { chunks, payload, Verifier, verify } from "../../bench/s3_data.ts";

const MiB = 1024 * 1024;

Deno.test("s3 bench data: an object's chunks are its payload, and tags differ", () => {
  const size = 3 * MiB + 123;
  const whole = payload(7, size);
  const v = new Verifier(7, size);
  let at = 0;
  for (const c of chunks(7, size)) {
    assert.deepEqual(c, whole.subarray(at, at + c.length));
    v.update(c);
    at += c.length;
  }
  v.done("chunks");
  assert.notDeepEqual(payload(8, 4096), payload(7, 4096));
});

Deno.test("s3 bench data: the check fails on a changed byte, a short or long body, another object", () => {
  const good = payload(3, 256 * 1024);
  verify(good, 3, good.length, "good");
  const changed = good.slice();
  changed[200_000] ^= 1;
  assert.throws(() => verify(changed, 3, good.length, "x"), /bytes differ/);
  assert.throws(
    () => verify(good.subarray(1), 3, good.length, "x"),
    /wrong content/,
  );
  assert.throws(
    () => verify(good.subarray(0, good.length - 1), 3, good.length, "x"),
    /bytes, not/,
  );
  const longer = new Uint8Array(good.length + 1);
  longer.set(good);
  assert.throws(() => verify(longer, 3, good.length, "x"), /more than/);
  assert.throws(() => verify(good, 4, good.length, "x"), /bytes differ/);
});

Deno.test("s3 bench data: a stream checked in odd pieces passes only when whole", () => {
  const size = 2 * MiB + 5;
  const whole = payload(11, size);
  const v = new Verifier(11, size);
  for (let at = 0; at < size; at += 65_537) {
    v.update(whole.subarray(at, at + 65_537));
  }
  v.done("pieces");
  const short = new Verifier(11, size);
  short.update(whole.subarray(0, MiB));
  assert.throws(() => short.done("short"), /bytes, not/);
});
