/**
 * deleteMany on S3 goes out as batch requests (DeleteObjects, up to 1000
 * keys each), and a key the service refuses inside a batch is named in the
 * error. Runs when OPENDAL_TEST names s3 (see scripts/test_services.sh).
 *
 * The operator talks to the server through a forwarding proxy that counts
 * the requests by kind; to make a batch fail for one key, the proxy keeps
 * that key from the server and answers for it with S3's per-key `<Error>`,
 * as S3 does for an object it may not delete.
 */
import assert from "node:assert/strict";
import { OpendalError } from "@opendal/core";
import { S3Operator } from "@opendal/core/services/s3";
import { configFromEnv, testedSchemes } from "../behavior/harness.ts";

// moto only: s3rver keeps no versions and answers a multi-object delete
// with a 500 (scripts/services/start.sh), and this test counts its DeleteObjects requests.
const ignore = !testedSchemes().includes("s3") ||
  Deno.env.get("OPENDAL_TEST_SERVER") !== "moto";

/** A proxy to the S3 endpoint that counts requests, and refuses keys containing `refuse`. */
function countingProxy(upstream: string, refuse?: string) {
  const counts: Record<string, number> = {};
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    async (req) => {
      const url = new URL(req.url);
      const batch = req.method === "POST" && url.searchParams.has("delete");
      const kind = batch ? "DeleteObjects" : req.method;
      counts[kind] = (counts[kind] ?? 0) + 1;
      const headers = new Headers(req.headers);
      let body: BodyInit | null = req.body;
      const refused: string[] = [];
      if (batch && refuse) {
        let xml = await req.text();
        xml = xml.replace(
          /<Object><Key>([^<]*)<\/Key><\/Object>/g,
          (object, key) => {
            if (!key.includes(refuse)) return object;
            refused.push(key);
            return "";
          },
        );
        body = xml;
        headers.delete("content-md5");
        headers.delete("content-length");
      }
      const res = await fetch(upstream + url.pathname + url.search, {
        method: req.method,
        headers,
        body,
      });
      let text: BodyInit | null = res.body;
      if (refused.length > 0) {
        const errors = refused.map((key) =>
          `<Error><Key>${key}</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`
        ).join("");
        text = (await res.text()).replace(
          "</DeleteResult>",
          `${errors}</DeleteResult>`,
        );
      }
      const out = new Headers(res.headers);
      out.delete("content-length");
      return new Response(text, { status: res.status, headers: out });
    },
  );
  return { counts, server, endpoint: `http://127.0.0.1:${server.addr.port}` };
}

function s3Through(endpoint: string): S3Operator {
  const config = configFromEnv("s3");
  return new S3Operator({
    ...config,
    bucket: config.bucket!,
    endpoint,
    root: `/batch-delete-${crypto.randomUUID()}/`,
  });
}

Deno.test({
  name: "s3: deleteMany of 10 000 paths sends 10 DeleteObjects requests",
  ignore,
  async fn() {
    const proxy = countingProxy(configFromEnv("s3").endpoint!);
    try {
      using op = s3Through(proxy.endpoint);
      assert.equal(op.capability().deleteMaxSize, 1000);
      // Every tenth path exists; deleting the others succeeds all the same.
      const paths = Array.from({ length: 10_000 }, (_, i) => `logs/${i}.txt`);
      const existing = paths.filter((_, i) => i % 10 === 0);
      for (let i = 0; i < existing.length; i += 100) {
        await Promise.all(
          existing.slice(i, i + 100).map((p) => op.write(p, "x")),
        );
      }
      for (const k of Object.keys(proxy.counts)) delete proxy.counts[k];
      // An async iterable, as a listing or a generator gives.
      const generated = (async function* () {
        yield* paths;
      })();
      await op.deleteMany(generated);
      assert.deepEqual(proxy.counts, { DeleteObjects: 10 });
      const left = await Array.fromAsync(op.list("logs/", { recursive: true }));
      assert.deepEqual(left.filter((e) => !e.path.endsWith("/")), []);
    } finally {
      await proxy.server.shutdown();
    }
  },
});

Deno.test({
  name:
    "s3: a key refused inside a batch is named in the error; the others are deleted",
  ignore,
  async fn() {
    const proxy = countingProxy(configFromEnv("s3").endpoint!, "locked");
    try {
      using op = s3Through(proxy.endpoint);
      const paths = ["a.txt", "locked.txt", "b.txt"];
      for (const p of paths) await op.write(p, "x");
      const error = await op.deleteMany(paths).then(
        () => assert.fail("deleteMany succeeded"),
        (e) => e,
      );
      assert.ok(error instanceof OpendalError, String(error));
      // OpenDAL maps a per-key code it does not know (AccessDenied) to Unexpected.
      assert.equal(error.kind, "Unexpected");
      assert.equal(error.temporary, false);
      assert.match(error.message, /^AccessDenied: Access Denied/);
      assert.match(error.message, /\(failed path "locked\.txt"\)/);
      assert.match(error.stack!, /batch_delete_test\.ts/, "the caller's frame");
      assert.equal(proxy.counts.DeleteObjects, 1);
      assert.equal(await op.exists("a.txt"), false);
      assert.equal(await op.exists("b.txt"), false);
      assert.equal(await op.exists("locked.txt"), true);
      // The same through a Deleter (not blocking: the proxy runs on this
      // thread).
      await using d = await op.deleter();
      await d.delete("locked.txt");
      await d.delete("c.txt");
      await assert.rejects(() => d.close(), /failed path "locked\.txt"/);
    } finally {
      await proxy.server.shutdown();
    }
  },
});
