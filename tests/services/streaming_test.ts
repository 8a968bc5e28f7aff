/**
 * Streaming against real servers (the service named by OPENDAL_TEST, see
 * scripts/test_services.sh): a 1 GiB object through fs and S3 in bounded
 * memory, aborted uploads that leave nothing behind, presigned requests run
 * by fetch, and service errors surfacing from streams with their kind.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { OpendalError, Operator } from "@opendal/core";
import { FsOperator } from "@opendal/core/services/fs";
import {
  buildService,
  newPath,
  randomBytes,
  testedSchemes,
} from "../behavior/harness.ts";

const schemes = testedSchemes();
const has = (...s: string[]) => s.some((x) => schemes.includes(x));

const GiB = 1024 * 1024 * 1024;
const CHUNK = 1024 * 1024;

/** A stream of `size` pseudo-random bytes, hashed as they are produced. */
function generated(
  size: number,
  hash: ReturnType<typeof createHash>,
): ReadableStream<Uint8Array> {
  let sent = 0;
  let x = 0x9e3779b9;
  return new ReadableStream({
    type: "bytes",
    pull(c) {
      const n = Math.min(CHUNK, size - sent);
      if (n === 0) return c.close();
      const words = new Uint32Array(n / 4);
      for (let i = 0; i < words.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        words[i] = x;
      }
      const bytes = new Uint8Array(words.buffer);
      hash.update(bytes);
      sent += n;
      c.enqueue(bytes);
    },
  });
}

async function hashOf(op: Operator, path: string): Promise<string> {
  const hash = createHash("sha256");
  await using reader = await op.reader(path, { chunk: 4 * CHUNK });
  for await (const chunk of reader.readable) hash.update(chunk);
  return hash.digest("hex");
}

/** Samples the process's RSS every few milliseconds while `work` runs. */
async function peakRssDuring(work: () => Promise<void>): Promise<number> {
  let peak = Deno.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, Deno.memoryUsage().rss);
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, Deno.memoryUsage().rss);
}

Deno.test({
  name: "1 GiB from fs to S3 and back, checksummed, in bounded memory",
  ignore: !has("s3"),
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "opendal-1gib-" });
    using fs = new FsOperator({ root });
    const { op: s3 } = buildService("s3");
    using _ = s3;
    try {
      const written = createHash("sha256");
      await fs.write("big.bin", generated(GiB, written));
      const expected = written.digest("hex");

      const baseline = Deno.memoryUsage().rss;
      const peak = await peakRssDuring(async () => {
        // fs -> S3 through JavaScript streams (pipeTo) ...
        await using reader = await fs.reader("big.bin", { chunk: 4 * CHUNK });
        const writer = await s3.writer("big.bin");
        await reader.readable.pipeTo(writer.writable);
        assert.equal((await s3.stat("big.bin")).contentLength, GiB);
        // ... and S3 -> fs inside the library (copyTo).
        await s3.copyTo("big.bin", fs, "back.bin");
      });
      const growth = peak - baseline;
      assert.ok(
        growth < 128 * 1024 * 1024,
        `peak RSS grew by ${(growth / 2 ** 20).toFixed(0)} MiB`,
      );

      assert.equal(await hashOf(s3, "big.bin"), expected, "S3 copy");
      assert.equal(await hashOf(fs, "back.bin"), expected, "copy back");
      await s3.delete("big.bin");
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name: "an aborted streaming upload leaves no object behind",
  // Not gcs: fake-gcs-server has no multipart uploads at all.
  ignore: !has("s3", "azblob"),
  async fn() {
    const scheme = schemes.find((s) => ["s3", "azblob"].includes(s))!;
    const { op } = buildService(scheme);
    using _ = op;
    const path = newPath();
    const controller = new AbortController();
    let parts = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (++parts === 4) controller.abort();
        c.enqueue(randomBytes(6 * CHUNK));
      },
    });
    await assert.rejects(
      op.write(path, body, { signal: controller.signal }),
      (e) => {
        assert.ok(
          e instanceof DOMException && e.name === "AbortError",
          String(e),
        );
        return true;
      },
    );
    assert.equal(await op.exists(path), false);
  },
});

/**
 * An account SAS for Azurite's dev account (Azure presigns by appending a SAS
 * token; OpenDAL's azblob advertises presign only when it has one).
 */
async function accountSas(account: string, key: string): Promise<string> {
  const fields = {
    sv: "2020-12-06",
    ss: "b",
    srt: "sco",
    sp: "rwdlac",
    se: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, "Z"),
    spr: "https,http",
  };
  const toSign = [
    account,
    fields.sp,
    fields.ss,
    fields.srt,
    "",
    fields.se,
    "",
    fields.spr,
    fields.sv,
    "",
    "",
  ]
    .join("\n");
  const hmac = await crypto.subtle.importKey(
    "raw",
    Uint8Array.from(atob(key), (c) => c.charCodeAt(0)),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const sig = new Uint8Array(
    await crypto.subtle.sign("HMAC", hmac, new TextEncoder().encode(toSign)),
  );
  const query = new URLSearchParams({
    ...fields,
    sig: btoa(String.fromCharCode(...sig)),
  });
  return query.toString();
}

/** The operator under test, able to presign (azblob gets a SAS token). */
async function presigning(scheme: string): Promise<Operator> {
  if (scheme !== "azblob") return buildService(scheme).op;
  const { config } = buildService(scheme);
  const sas = await accountSas(config.account_name, config.account_key);
  return new Operator("azblob", {
    ...config,
    sas_token: sas,
    account_key: undefined,
  });
}

for (const scheme of ["s3", "azblob"]) {
  Deno.test({
    name: `${scheme}: presigned PUT, GET, HEAD and DELETE run with fetch`,
    ignore: !has(scheme),
    async fn() {
      using op = await presigning(scheme);
      assert.equal(op.capability().presign, true);
      const path = newPath();
      const body = randomBytes(10_000);

      const put = await op.presignWrite(path, 300);
      const putRes = await fetch(put.url, {
        method: put.method,
        headers: put.headers,
        body,
      });
      const answer = await putRes.text();
      assert.ok(putRes.ok, `PUT ${putRes.status}: ${answer}`);
      assert.deepEqual(await op.read(path), body);

      const get = await op.presignRead(path, 300);
      const got = await fetch(get.url, {
        method: get.method,
        headers: get.headers,
      });
      assert.equal(got.status, 200);
      assert.deepEqual(await got.bytes(), body);

      const head = await op.presignStat(path, 300);
      const headRes = await fetch(head.url, {
        method: head.method,
        headers: head.headers,
      });
      assert.equal(headRes.status, 200);
      assert.equal(
        headRes.headers.get("content-length"),
        String(body.byteLength),
      );

      if (scheme === "azblob") {
        // Azure cannot presign a delete: OpenDAL says so.
        const e = await op.presignDelete(path, 300).catch((e) => e);
        assert.ok(
          e instanceof OpendalError && e.kind === "Unsupported",
          String(e),
        );
        await op.delete(path);
        return;
      }
      const del = await op.presignDelete(path, 300);
      const delRes = await fetch(del.url, {
        method: del.method,
        headers: del.headers,
      });
      await delRes.body?.cancel();
      assert.ok(delRes.ok, `DELETE ${delRes.status}`);
      assert.equal(await op.exists(path), false);
    },
  });
}

Deno.test({
  name: "streams surface service errors as OpendalError with the right kind",
  ignore: !has("s3", "azblob", "gcs", "webdav", "sftp"),
  async fn() {
    const scheme = schemes[0];
    const { op } = buildService(scheme);
    using _ = op;
    const missing = newPath();
    const err = await (async () => {
      await using reader = await op.reader(missing);
      for await (const _ of reader.readable) { /* nothing */ }
    })().catch((e) => e);
    assert.ok(err instanceof OpendalError, String(err));
    assert.equal(err.kind, "NotFound");
    assert.ok(err instanceof Deno.errors.NotFound);
  },
});
