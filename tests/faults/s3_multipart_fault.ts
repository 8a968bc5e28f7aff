/**
 * An S3 server that dies or freezes in the middle of a multipart upload: the
 * write fails with a temporary error, never reports success, leaves no partial
 * object behind, and with RetryLayer completes once the server is back.
 */
import assert from "node:assert/strict";
import { diagnostics, OpendalError } from "@opendal/core";
import { S3Operator } from "@opendal/core/services/s3";
import { LoggingLayer } from "@opendal/core/layers/logging";
import { RetryLayer } from "@opendal/core/layers/retry";
import { TimeoutLayer } from "@opendal/core/layers/timeout";
import type { Writer } from "../../src/writer.ts";
import { MiB, pseudoRandom, sha256 } from "./data.ts";
import {
  BUCKET,
  type ManagedServer,
  s3Options,
  S3RVER_KEY,
  startMoto,
  startS3rver,
} from "./servers.ts";

const SIZE = 32 * MiB;
const PART = 5 * MiB;
const PIECE = MiB;
// Enough for three parts to be sent, out of seven.
const BREAK_AT = 16 * MiB;

/** Text of an unsigned GET to moto (it does not check signatures). */
async function motoGet(moto: ManagedServer, query: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${moto.port}/${BUCKET}${query}`);
  const text = await res.text();
  assert.ok(res.ok, `moto GET ${query}: ${res.status} ${text}`);
  return text;
}

/** Parts moto holds for the one open multipart upload of `key`. */
async function motoUploadedParts(
  moto: ManagedServer,
  key: string,
): Promise<number> {
  const uploads = await motoGet(moto, "?uploads");
  const ids = [...uploads.matchAll(/<UploadId>([^<]+)<\/UploadId>/g)];
  assert.equal(ids.length, 1, `one open upload expected: ${uploads}`);
  const parts = await motoGet(moto, `/${key}?uploadId=${ids[0][1]}`);
  return [...parts.matchAll(/<PartNumber>/g)].length;
}

/** Open multipart uploads in moto's bucket. */
async function motoOpenUploads(moto: ManagedServer): Promise<number> {
  const uploads = await motoGet(moto, "?uploads");
  return [...uploads.matchAll(/<UploadId>/g)].length;
}

/**
 * Writes `data` in 1 MiB pieces; once `BREAK_AT` bytes are in, calls
 * `breakServer`. Returns the error the write or close failed with, or
 * undefined when the whole write succeeded.
 */
async function writeBreakingAt(
  writer: Writer,
  data: Uint8Array,
  breakServer: () => Promise<void>,
): Promise<unknown> {
  try {
    for (let off = 0; off < data.length; off += PIECE) {
      if (off === BREAK_AT) await breakServer();
      await writer.write(data.subarray(off, off + PIECE));
    }
    await writer.close();
    return undefined;
  } catch (e) {
    return e;
  }
}

Deno.test("s3 (moto) SIGKILLed mid multipart upload: the write fails with a temporary error", async () => {
  const handles = diagnostics().handles;
  await using moto = await startMoto();
  {
    using op = new S3Operator(s3Options(moto.port));
    const data = pseudoRandom(SIZE, 1);
    const writer = await op.writer("big.bin", { chunk: PART, concurrent: 1 });
    const err = await writeBreakingAt(writer, data, async () => {
      const parts = await motoUploadedParts(moto, "big.bin");
      assert.ok(parts >= 2, `parts went up before the kill: ${parts}`);
      await moto.kill("SIGKILL");
    });
    assert.ok(err instanceof OpendalError, `the write must fail: ${err}`);
    assert.equal(err.kind, "Unexpected", err.message);
    assert.equal(
      err.temporary,
      true,
      `a dead server is worth retrying: ${err}`,
    );
    assert.match(err.message, /send http request|connect|reset/i);
    // The server is gone, so the abort fails too; it still frees the writer.
    await writer.abort().catch(() => {});
  }
  assert.equal(diagnostics().handles, handles, "no handle left behind");
});

Deno.test("s3 (moto) frozen mid multipart upload: timeout, and no partial object once it thaws", async () => {
  await using moto = await startMoto();
  using op = new S3Operator(s3Options(moto.port))
    .layer(new TimeoutLayer({ timeout: 3_000, ioTimeout: 1_500 }));
  const data = pseudoRandom(SIZE, 2);
  const writer = await op.writer("big.bin", { chunk: PART, concurrent: 1 });
  let frozenAt = 0;
  const err = await writeBreakingAt(writer, data, async () => {
    assert.ok((await motoUploadedParts(moto, "big.bin")) >= 2);
    assert.equal(
      await op.exists("big.bin"),
      false,
      "invisible while uploading",
    );
    moto.freeze();
    frozenAt = performance.now();
  });
  const elapsed = performance.now() - frozenAt;
  moto.thaw();
  assert.ok(err instanceof OpendalError, `the write must fail: ${err}`);
  assert.equal(err.kind, "Unexpected", err.message);
  assert.equal(err.temporary, true, err.message);
  assert.match(err.message, /timeout|timed out/i);
  assert.ok(elapsed < 6_000, `ended by the timeout, took ${elapsed} ms`);

  // The server has all it received, yet the object does not exist.
  assert.equal(await op.exists("big.bin"), false, "no partial object");
  const listed = await Array.fromAsync(op.list("", { recursive: true }));
  assert.deepEqual(listed.map((e) => e.path).filter((p) => p !== "/"), []);
  // Aborting the failed writer removes the upload and its parts.
  assert.equal(await motoOpenUploads(moto), 1);
  await writer.abort();
  assert.equal(await motoOpenUploads(moto), 0, "abort removed the upload");
});

Deno.test("s3 (s3rver) SIGKILLed and restarted mid multipart upload: RetryLayer completes the write", async () => {
  await using s3 = await startS3rver();
  const attempts: string[] = [];
  // Logging inside the retry sees every failed attempt.
  using op = new S3Operator(s3Options(s3.port, S3RVER_KEY))
    .layer(
      new LoggingLayer({
        level: "warn",
        sink: (r) => attempts.push(r.message),
      }),
    )
    .layer(new RetryLayer({ maxTimes: 6, minDelay: 500, maxDelay: 4_000 }));
  const data = pseudoRandom(SIZE, 3);
  const writer = await op.writer("big.bin", { chunk: PART, concurrent: 1 });
  let restarted: Promise<void> | undefined;
  const err = await writeBreakingAt(writer, data, async () => {
    assert.ok(
      (await s3rverPartsOnDisk(s3.dir)) >= 2,
      "parts went up before the kill",
    );
    await s3.kill("SIGKILL");
    // Back during the first backoff (500 ms) or the next ones.
    restarted = new Promise((r) => setTimeout(r, 200)).then(() => s3.start());
  });
  await restarted;
  assert.equal(err, undefined, `the retried write must succeed: ${err}`);
  assert.ok(
    attempts.some((m) => /send http request|connect/i.test(m)),
    `at least one attempt met the dead server: ${attempts.join("\n")}`,
  );
  const read = await op.read("big.bin");
  assert.equal(read.length, SIZE);
  assert.equal(sha256(read), sha256(data), "the bytes survived the restart");
});

/** Part files s3rver keeps on disk for unfinished multipart uploads. */
async function s3rverPartsOnDisk(dir: string): Promise<number> {
  let parts = 0;
  const walk = async (path: string, inUploads: boolean) => {
    for await (const e of Deno.readDir(path)) {
      const sub = `${path}/${e.name}`;
      if (e.isDirectory) {
        await walk(sub, inUploads || e.name.endsWith("_uploads"));
      } else if (inUploads && /^\d+$/.test(e.name)) parts++;
    }
  };
  await walk(dir, false);
  return parts;
}

Deno.test("s3 (moto) frozen mid upload under `await using`: leaving the scope by the error commits nothing", async () => {
  await using moto = await startMoto();
  using op = new S3Operator(s3Options(moto.port));
  const data = pseudoRandom(SIZE, 4);
  const err = await (async () => {
    await using writer = await op.writer("big.bin", {
      chunk: PART,
      concurrent: 1,
    });
    for (let off = 0; off < data.length; off += PIECE) {
      const piece = data.subarray(off, off + PIECE);
      if (off < BREAK_AT) {
        await writer.write(piece);
        continue;
      }
      // The write meets a frozen server and is given up; the server is back
      // before the scope ends, so disposing could commit if it wanted to.
      moto.freeze();
      try {
        await writer.write(piece, { signal: AbortSignal.timeout(1_000) });
      } finally {
        moto.thaw();
      }
    }
    await writer.close();
  })().then(() => undefined, (e) => e);
  assert.ok(err instanceof DOMException, `the write must fail: ${err}`);
  assert.equal(
    await op.exists("big.bin"),
    false,
    "a writer disposed after a failed write must not commit what it had",
  );
  assert.equal(await motoOpenUploads(moto), 0, "disposing aborted the upload");
});
