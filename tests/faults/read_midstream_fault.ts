/**
 * A body that stops halfway is an error, never a short success: against a
 * server that sends half its Content-Length, and an S3 server killed while
 * it streams.
 */
import assert from "node:assert/strict";
import { OpendalError, Operator } from "@opendal/core";
import { S3Operator } from "@opendal/core/services/s3";
import { RetryLayer } from "@opendal/core/layers/retry";
import { MiB, pseudoRandom } from "./data.ts";
import { s3Options, startMoto } from "./servers.ts";
import { TruncatingServer } from "./truncating_server.ts";

const BODY = pseudoRandom(4 * MiB, 11);

/** The error a truncated body must give: temporary, as retrying may help. */
function assertTruncated(err: unknown): void {
  assert.ok(err instanceof OpendalError, `must fail: ${err}`);
  assert.equal(err.kind, "Unexpected", err.message);
  assert.equal(err.temporary, true, err.message);
}

Deno.test("half a body: read rejects", async () => {
  await using server = new TruncatingServer(BODY);
  using op = new Operator("http", { endpoint: server.endpoint });
  const result = await op.read("file.bin").catch((e) => e);
  assertTruncated(result);
  assert.match(
    result.message,
    /read data from http response|eof|end of file|incomplete/i,
  );
});

Deno.test("half a body: readSync throws", async () => {
  await using server = new TruncatingServer(BODY);
  // A blocking call here would stop the event loop this server runs on, so
  // the blocking read runs in another process.
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { Operator } from "@opendal/core";
       const op = new Operator("http", { endpoint: ${
        JSON.stringify(server.endpoint)
      } });
       try { op.readSync("file.bin"); console.log("success"); }
       catch (e) { console.log(JSON.stringify({ kind: e.kind, temporary: e.temporary })); }`,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const out = new TextDecoder().decode((await child.output()).stdout).trim();
  assert.deepEqual(JSON.parse(out), { kind: "Unexpected", temporary: true });
});

Deno.test("half a body: the reader's stream errors after fewer bytes than announced", async () => {
  await using server = new TruncatingServer(BODY);
  using op = new Operator("http", { endpoint: server.endpoint });
  await using reader = await op.reader("file.bin", { chunk: MiB });
  let received = 0;
  const err = await (async () => {
    for await (const chunk of reader.readable) received += chunk.length;
  })().then(() => undefined, (e) => e);
  assertTruncated(err);
  assert.ok(received < BODY.length, `received ${received} bytes`);
});

Deno.test("half a body: RetryLayer resumes from the break, then gives up", async () => {
  await using server = new TruncatingServer(BODY);
  using op = new Operator("http", { endpoint: server.endpoint })
    .layer(new RetryLayer({ maxTimes: 2, minDelay: 1, maxDelay: 5 }));
  const err = await op.read("file.bin").catch((e) => e);
  assert.ok(err instanceof OpendalError, `must fail: ${err}`);
  assert.equal(err.kind, "Unexpected", err.message);
  // Retries used up: OpenDAL marks the error persistent.
  assert.equal(err.temporary, false, err.message);
  // The first request breaks at the middle; each retry resumes there with a
  // range and gets nothing more. The short message leads with the cause;
  // OpenDAL's full text, with the range, is the error's cause.
  const detail = String((err.cause as Error | undefined)?.message);
  assert.match(detail, new RegExp(`range: ${BODY.length / 2}-`));
  assert.equal(server.requests, 3, "one attempt and two retries");
});

Deno.test("s3 (moto) SIGKILLed while a reader streams: the stream errors", async () => {
  await using moto = await startMoto();
  const size = 16 * MiB;
  using op = new S3Operator(s3Options(moto.port));
  await op.write("big.bin", pseudoRandom(size, 12));
  await using reader = await op.reader("big.bin", { chunk: MiB });
  let received = 0;
  const err = await (async () => {
    for await (const chunk of reader.readable) {
      received += chunk.length;
      if (moto.running) await moto.kill("SIGKILL");
    }
  })().then(() => undefined, (e) => e);
  assertTruncated(err);
  assert.ok(received < size, `received ${received} of ${size} bytes`);
});
