/**
 * How a command-line argument maps to a service, its config and a path.
 */
import assert from "node:assert/strict";
import { OpendalError } from "@opendal/core";
import {
  parseLocation,
  parseOptions,
  withoutPassword,
} from "../../src/cli/location.ts";

/** The scheme, the config keys the URI sets, and the path. */
function mapped(arg: string, keys: string[], options = {}) {
  const loc = parseLocation(arg, options);
  const config: Record<string, string> = {};
  for (const k of keys) config[k] = loc.config[k];
  return [loc.scheme, config, loc.path];
}

Deno.test("URIs: the authority names the bucket or server, the path is the key", () => {
  const cases: [string, string[], unknown[]][] = [
    ["s3://photos/2024/cat.jpg", ["bucket", "root"], [
      "s3",
      { bucket: "photos", root: "/" },
      "2024/cat.jpg",
    ]],
    ["gcs://b/dir/", ["bucket"], ["gcs", { bucket: "b" }, "dir/"]],
    ["azblob://c/x", ["container"], ["azblob", { container: "c" }, "x"]],
    ["webdav://h:8080/a/b", ["endpoint"], [
      "webdav",
      { endpoint: "https://h:8080" },
      "a/b",
    ]],
    ["webdav+http://h:8080/a", ["endpoint"], [
      "webdav",
      { endpoint: "http://h:8080" },
      "a",
    ]],
    ["https://example.com/f.txt", ["endpoint"], [
      "http",
      { endpoint: "https://example.com" },
      "f.txt",
    ]],
    ["sftp://me@h:2222/upload/x", ["user", "endpoint"], [
      "sftp",
      { user: "me", endpoint: "ssh://h:2222" },
      "upload/x",
    ]],
    ["redis://h:6379/k", ["endpoint"], [
      "redis",
      { endpoint: "redis://h:6379" },
      "k",
    ]],
    ["rediss://h:6380/k", ["endpoint"], [
      "redis",
      { endpoint: "rediss://h:6380" },
      "k",
    ]],
    ["memcached://h:11211/k", ["endpoint"], [
      "memcached",
      { endpoint: "tcp://h:11211" },
      "k",
    ]],
    ["etcd://h:2379/k", ["endpoints"], [
      "etcd",
      { endpoints: "http://h:2379" },
      "k",
    ]],
    ["postgresql://u:p@h:5432/db/a/b", ["connection_string"], [
      "postgresql",
      { connection_string: "postgresql://u:p@h:5432/db" },
      "a/b",
    ]],
    ["memory://a/b", ["root"], ["memory", { root: "/" }, "a/b"]],
    ["memory://", [], ["memory", {}, ""]],
    ["/tmp/x/y", ["root"], ["fs", { root: "/" }, "tmp/x/y"]],
    ["fs:///tmp/x/", ["root"], ["fs", { root: "/" }, "tmp/x/"]],
    ["./rel/y", ["root"], ["fs", { root: "." }, "rel/y"]],
    ["rel", ["root"], ["fs", { root: "." }, "rel"]],
    // No path may leave its root: going up moves the root instead.
    ["../up.txt", ["root"], ["fs", { root: ".." }, "up.txt"]],
    ["a/../../../b/", ["root"], ["fs", { root: "../.." }, "b/"]],
    ["/tmp/a/../b", ["root"], ["fs", { root: "/" }, "tmp/b"]],
    ["sub/.", ["root"], ["fs", { root: "." }, "sub/"]],
    // Verbatim: no percent-decoding, no query string.
    ["s3://b/a%20b?x=1", [], ["s3", {}, "a%20b?x=1"]],
  ];
  for (const [arg, keys, expected] of cases) {
    assert.deepEqual(mapped(arg, keys), expected, arg);
  }
});

Deno.test("-o options override the URI, which overrides the environment", () => {
  const loc = parseLocation(
    "s3://photos/k",
    parseOptions([
      "region=eu-west-1",
      "root=/base",
      "disable-config-load=true",
    ]),
  );
  assert.equal(loc.config.region, "eu-west-1");
  assert.equal(loc.config.root, "/base");
  assert.equal(loc.config.disable_config_load, "true");
  assert.equal(loc.config.bucket, "photos");
  Deno.env.set("OPENDAL_MEMCACHED_ENDPOINT", "tcp://env:1");
  Deno.env.set("OPENDAL_MEMCACHED_DEFAULT_TTL", "60s");
  try {
    const fromEnv = parseLocation("memcached:///k", {});
    assert.equal(fromEnv.config.endpoint, "tcp://env:1");
    assert.equal(fromEnv.config.default_ttl, "60s");
    const uri = parseLocation("memcached://uri:2/k", {});
    assert.equal(uri.config.endpoint, "tcp://uri:2");
    assert.equal(uri.config.default_ttl, "60s");
  } finally {
    Deno.env.delete("OPENDAL_MEMCACHED_ENDPOINT");
    Deno.env.delete("OPENDAL_MEMCACHED_DEFAULT_TTL");
  }
});

Deno.test("bad locations are ConfigInvalid and say what is wrong", () => {
  for (
    const [arg, message] of [
      ["", /empty path/],
      ["postgresql://u@h/", /needs a database name/],
    ] as const
  ) {
    assert.throws(
      () => parseLocation(arg, {}),
      (e) =>
        e instanceof OpendalError && e.kind === "ConfigInvalid" &&
        message.test(e.message),
    );
  }
  assert.throws(
    () => parseOptions(["=x"]),
    (e) => e instanceof OpendalError && /key=value/.test(e.message),
  );
});

Deno.test("a URI's password never shows in its display form or in usage errors", () => {
  for (const c of [..."-._~!$&'()*+,;=:", "%2C", " ", "@"]) {
    const password = `hun${c}ter2`;
    const loc = parseLocation(`redis://u:${password}@127.0.0.1:6379/k`, {});
    assert.equal(loc.display, "redis://u:***@127.0.0.1:6379/k", c);
    // The config keeps it: the service needs it.
    assert.equal(loc.config.endpoint, `redis://u:${password}@127.0.0.1:6379`);
    assert.throws(() =>
      parseLocation(`postgresql://u:${password}@h:5432/`, {})
    );
    try {
      parseLocation(`postgresql://u:${password}@h:5432/`, {});
    } catch (e) {
      assert.ok(e instanceof OpendalError, c);
      assert.ok(!e.message.includes(password), e.message);
      assert.match(
        e.message,
        /^postgresql:\/\/u:\*\*\*@h:5432\/ needs a database/,
      );
    }
  }
  assert.equal(withoutPassword("sftp://token@host/p"), "sftp://***@host/p");
  assert.equal(withoutPassword("s3://bucket/a@b"), "s3://bucket/a@b");
  assert.equal(withoutPassword("local/file@2x.png"), "local/file@2x.png");
});
