/**
 * Cloud-only services, which no server on this machine can stand in for:
 * each request a service sends reaches a local HTTP listener that records it
 * and refuses it (403). The test asserts the request's method, host, path
 * and the shape of the service's authentication, and that the refusal
 * comes back as an error: never a success.
 *
 * Services whose endpoint is an option are pointed at the listener.
 * Services that put the bucket in the host name (COS, OBS, and OSS in its
 * default style) keep their real host and reach the listener as an HTTP
 * proxy (`HTTP_PROXY`, which the library honours), in a child process so
 * the proxy setting stays out of this one.
 *
 * Not here: services whose endpoint is fixed and HTTPS-only (b2, upyun,
 * dropbox, gdrive, onedrive, yandex-disk, aliyun-drive, vercel-blob,
 * cloudflare-kv, github, d1; tos turns any endpoint into https), whose
 * requests only a TLS-intercepting proxy could read, and the non-HTTP
 * protocols (gcs-grpc, hdfs-native).
 */
import assert from "node:assert/strict";
import { OpendalError, Operator } from "@opendal/core";

/** One request as the listener saw it. */
interface Seen {
  method: string;
  /** Host header. */
  host: string;
  /** Path and query. */
  path: string;
  headers: Headers;
  body: string;
}

/** A listener on 127.0.0.1 that records every request and refuses it. */
function recordingListener(): {
  url: string;
  seen: Seen[];
  [Symbol.asyncDispose](): Promise<void>;
} {
  const seen: Seen[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      const url = new URL(req.url);
      seen.push({
        method: req.method,
        host: req.headers.get("host") ?? "",
        path: url.pathname + url.search,
        headers: req.headers,
        body: await req.text(),
      });
      return new Response("refused by the test listener", { status: 403 });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    seen,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/** `stat` through `op` must fail, with the listener's refusal. */
async function statIsRefused(op: Operator, path: string): Promise<void> {
  await assert.rejects(op.stat(path), (e: unknown) => {
    assert.ok(e instanceof OpendalError, `expected an OpendalError: ${e}`);
    assert.ok(
      e.kind === "PermissionDenied" || e.kind === "Unexpected",
      `a 403 is PermissionDenied or Unexpected, got ${e.kind}: ${e.message}`,
    );
    return true;
  });
}

/** The single request the listener got (a refusal is not retried). */
function onlyRequest(seen: Seen[]): Seen {
  assert.equal(seen.length, 1, "exactly one request reaches the listener");
  return seen[0];
}

const direct: {
  scheme: string;
  options: (endpoint: string) => Record<string, string>;
  check: (r: Seen, endpointHost: string) => void;
}[] = [
  {
    scheme: "azdls",
    options: (endpoint) => ({
      endpoint,
      filesystem: "fs",
      account_name: "acct",
      account_key: btoa("not-a-real-key"),
    }),
    check: (r, host) => {
      assert.equal(r.method, "HEAD");
      assert.equal(r.host, host);
      assert.equal(r.path, "/fs/dir/probe.txt");
      assert.match(
        r.headers.get("authorization")!,
        /^SharedKey acct:[A-Za-z0-9+/]{43}=$/,
      );
      assert.ok(r.headers.get("x-ms-date"), "x-ms-date is signed, so sent");
      assert.ok(r.headers.get("x-ms-version"));
    },
  },
  {
    scheme: "azfile",
    options: (endpoint) => ({
      endpoint,
      share_name: "share",
      account_name: "acct",
      account_key: btoa("not-a-real-key"),
    }),
    check: (r, host) => {
      assert.equal(r.method, "HEAD");
      assert.equal(r.host, host);
      assert.equal(r.path, "/share/dir/probe.txt");
      assert.match(
        r.headers.get("authorization")!,
        /^SharedKey acct:[A-Za-z0-9+/]{43}=$/,
      );
      assert.ok(r.headers.get("x-ms-date"));
    },
  },
  {
    // Path style keeps the bucket out of the host name.
    scheme: "oss",
    options: (endpoint) => ({
      endpoint,
      bucket: "bucket",
      addressing_style: "path",
      access_key_id: "AKID",
      access_key_secret: "secret",
    }),
    check: (r, host) => {
      assert.equal(r.method, "HEAD");
      assert.equal(r.host, host);
      assert.equal(r.path, "/bucket/dir/probe.txt");
      assert.match(
        r.headers.get("authorization")!,
        /^OSS AKID:[A-Za-z0-9+/]{27}=$/,
      );
      assert.ok(r.headers.get("date"));
    },
  },
  {
    scheme: "hf",
    options: (endpoint) => ({
      endpoint,
      repo_type: "model",
      repo_id: "org/repo",
      token: "hf_test_token",
    }),
    check: (r, host) => {
      assert.equal(r.method, "POST");
      assert.equal(r.host, host);
      assert.equal(r.path, "/api/models/org/repo/paths-info/main");
      assert.equal(r.headers.get("authorization"), "Bearer hf_test_token");
    },
  },
  {
    scheme: "vercel-artifacts",
    options: (endpoint) => ({ endpoint, access_token: "vercel_test_token" }),
    check: (r, host) => {
      assert.equal(r.method, "HEAD");
      assert.equal(r.host, host);
      assert.equal(r.path, "/v8/artifacts/dir/probe.txt");
      assert.equal(r.headers.get("authorization"), "Bearer vercel_test_token");
    },
  },
  {
    scheme: "ghac",
    options: (endpoint) => ({
      endpoint,
      runtime_token: "ghac_test_token",
      version: "v1",
    }),
    check: (r, host) => {
      assert.equal(r.method, "GET");
      assert.equal(r.host, host);
      assert.equal(
        r.path,
        "/_apis/artifactcache/cache?keys=dir/probe.txt&version=v1",
      );
      assert.equal(r.headers.get("authorization"), "Bearer ghac_test_token");
    },
  },
  {
    scheme: "dbfs",
    options: (endpoint) => ({ endpoint, token: "dbfs_test_token" }),
    check: (r, host) => {
      assert.equal(r.method, "GET");
      assert.equal(r.host, host);
      assert.equal(r.path, "/api/2.0/dbfs/get-status?path=/dir/probe.txt");
      assert.equal(r.headers.get("authorization"), "Bearer dbfs_test_token");
    },
  },
  {
    // pCloud takes the account's credentials as query parameters.
    scheme: "pcloud",
    options: (endpoint) => ({ endpoint, username: "me", password: "pw" }),
    check: (r, host) => {
      assert.equal(r.method, "POST");
      assert.equal(r.host, host);
      assert.equal(r.path, "/stat?path=/dir/probe.txt&username=me&password=pw");
    },
  },
  {
    // Seafile first trades the account's credentials for a token.
    scheme: "seafile",
    options: (endpoint) => ({
      endpoint,
      username: "me",
      password: "pw",
      repo_name: "repo",
    }),
    check: (r, host) => {
      assert.equal(r.method, "POST");
      assert.equal(r.host, host);
      assert.equal(r.path, "/api2/auth-token/");
      assert.equal(
        r.headers.get("content-type"),
        "application/x-www-form-urlencoded",
      );
      assert.equal(r.body, "username=me&password=pw");
    },
  },
  {
    // Alluxio's REST proxy has no authentication of its own.
    scheme: "alluxio",
    options: (endpoint) => ({ endpoint }),
    check: (r, host) => {
      assert.equal(r.method, "POST");
      assert.equal(r.host, host);
      assert.equal(r.path, "/api/v1/paths//dir/probe.txt/get-status");
      assert.equal(r.headers.get("authorization"), null);
    },
  },
];

for (const { scheme, options, check } of direct) {
  Deno.test(`${scheme}: a signed request reaches the endpoint`, async () => {
    await using listener = recordingListener();
    using op = new Operator(scheme, options(listener.url));
    await statIsRefused(op, "dir/probe.txt");
    check(onlyRequest(listener.seen), new URL(listener.url).host);
  });
}

/** The child: builds the operator from argv and stats one path. */
const PROBE = `
import { Operator } from "@opendal/core";
const [scheme, options, path] = Deno.args;
using op = new Operator(scheme, JSON.parse(options));
try {
  await op.stat(path);
  console.log("succeeded");
} catch (e) {
  console.log(e.kind);
}
`;

/** Runs PROBE in a child process whose HTTP proxy is `proxy`. */
async function statThroughProxy(
  proxy: string,
  scheme: string,
  options: Record<string, string>,
  path: string,
): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      "--quiet",
      `--config=${new URL("../../deno.json", import.meta.url).pathname}`,
      PROBE,
      scheme,
      JSON.stringify(options),
      path,
    ],
    env: { HTTP_PROXY: proxy, http_proxy: proxy, NO_PROXY: "", no_proxy: "" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(out.stderr);
  assert.ok(out.success, `the probe failed: ${err}`);
  return new TextDecoder().decode(out.stdout).trim();
}

const proxied: {
  scheme: string;
  options: Record<string, string>;
  host: string;
  auth: RegExp;
}[] = [
  {
    scheme: "cos",
    options: {
      endpoint: "http://cos.ap-beijing.myqcloud.com",
      bucket: "bucket-1250000000",
      secret_id: "AKID",
      secret_key: "secret",
      disable_config_load: "true",
    },
    host: "bucket-1250000000.cos.ap-beijing.myqcloud.com",
    auth:
      /^q-sign-algorithm=sha1&q-ak=AKID&q-sign-time=\d+;\d+&q-key-time=\d+;\d+&q-header-list=[a-z;-]*&q-url-param-list=[a-z;-]*&q-signature=[0-9a-f]{40}$/,
  },
  {
    scheme: "obs",
    options: {
      endpoint: "http://obs.cn-north-4.myhuaweicloud.com",
      bucket: "bucket",
      access_key_id: "AKID",
      secret_access_key: "secret",
    },
    host: "bucket.obs.cn-north-4.myhuaweicloud.com",
    auth: /^OBS AKID:[A-Za-z0-9+/]{27}=$/,
  },
  {
    scheme: "oss",
    options: {
      endpoint: "http://oss-cn-hangzhou.aliyuncs.com",
      bucket: "bucket",
      access_key_id: "AKID",
      access_key_secret: "secret",
    },
    host: "bucket.oss-cn-hangzhou.aliyuncs.com",
    auth: /^OSS AKID:[A-Za-z0-9+/]{27}=$/,
  },
];

for (const { scheme, options, host, auth } of proxied) {
  Deno.test(
    `${scheme}: a signed request for its virtual host reaches the proxy`,
    async () => {
      await using listener = recordingListener();
      const outcome = await statThroughProxy(
        listener.url,
        scheme,
        options,
        "dir/probe.txt",
      );
      assert.ok(
        outcome === "PermissionDenied" || outcome === "Unexpected",
        `the refusal must be an error, got: ${outcome}`,
      );
      const r = onlyRequest(listener.seen);
      assert.equal(r.method, "HEAD");
      assert.equal(r.host, host);
      assert.equal(r.path, "/dir/probe.txt");
      assert.match(r.headers.get("authorization") ?? "", auth);
    },
  );
}
