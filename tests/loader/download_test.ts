// The download path, called directly with an injected base URL, cache
// directory, version and checksum, against a local release server that
// serves the library `deno task build` made.

import assert from "node:assert/strict";
import {
  cachedOrDownloaded,
  type DownloadOptions,
  parseRelease,
  sha256Hex,
} from "../../src/loader_download.ts";
import { cacheRoot, releaseFileName } from "../../src/loader_platform.ts";
import { localBuildBytes, serveRelease } from "./release_server.ts";

const bytes = localBuildBytes();
const sha256 = await sha256Hex(bytes);
const fileName = releaseFileName();

function options(
  baseUrl: string,
  cacheDir: string,
  more: Partial<DownloadOptions> = {},
): DownloadOptions {
  return {
    baseUrl,
    cacheDir,
    fileName,
    sha256,
    version: "0.0.0-test",
    timeoutMs: 5_000,
    attempts: 3,
    backoffMs: 10,
    ...more,
  };
}

/** The cache directory's entries ([] when it does not exist). */
function entries(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

/** Loads the library at `path` and makes one call into it. */
function handleCount(path: string): number {
  const lib = Deno.dlopen(path, {
    opendal_handle_count: { parameters: [], result: "f64" },
  });
  try {
    return lib.symbols.opendal_handle_count();
  } finally {
    lib.close();
  }
}

async function withCache(
  run: (cacheDir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "opendal-loader-" });
  try {
    await run(`${dir}/opendal-deno/0.0.0-test`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a real build is downloaded, verified, cached and loads", async () => {
  await using server = serveRelease({ [fileName]: bytes });
  await withCache(async (cacheDir) => {
    const path = await cachedOrDownloaded(
      options(`${server.url}good/`, cacheDir),
    );
    assert.equal(path, `${cacheDir}/${fileName}`);
    assert.deepEqual(entries(cacheDir), [fileName]);
    assert.equal(await sha256Hex(await Deno.readFile(path)), sha256);
    assert.equal(typeof handleCount(path), "number");

    // Warm: the cached file is verified and used, the server is not asked.
    assert.equal(
      await cachedOrDownloaded(options(`${server.url}good/`, cacheDir)),
      path,
    );
    assert.equal(server.requests.get(`/good/${fileName}`), 1);
  });
});

Deno.test("the base URL may omit its trailing slash", async () => {
  await using server = serveRelease({ [fileName]: bytes });
  await withCache(async (cacheDir) => {
    const path = await cachedOrDownloaded(
      options(`${server.url}good`, cacheDir),
    );
    assert.equal(path, `${cacheDir}/${fileName}`);
  });
});

Deno.test("a tampered download is refused, naming both hashes, and nothing is cached", async () => {
  await using server = serveRelease({ [fileName]: bytes });
  await withCache(async (cacheDir) => {
    const tampered = bytes.slice();
    tampered[tampered.length >> 1] ^= 0xff;
    const actual = await sha256Hex(tampered);
    await assert.rejects(
      cachedOrDownloaded(options(`${server.url}tampered/`, cacheDir)),
      (e: Error) => {
        assert.match(e.message, /checksum mismatch/);
        assert.ok(e.message.includes(`expected sha256 ${sha256}`), e.message);
        assert.ok(e.message.includes(`got ${actual}`), e.message);
        assert.ok(e.message.includes(`${server.url}tampered/${fileName}`));
        assert.match(e.message, /OPENDAL_DENO_LIB/);
        return true;
      },
    );
    assert.deepEqual(entries(cacheDir), []);
  });
});

Deno.test("a tampered cached file is removed: refused offline, replaced online", async () => {
  await withCache(async (cacheDir) => {
    await Deno.mkdir(cacheDir, { recursive: true });
    const cached = `${cacheDir}/${fileName}`;
    const tampered = bytes.slice();
    tampered[0] ^= 0xff;
    const tamperedSha = await sha256Hex(tampered);
    await Deno.writeFile(cached, tampered);

    // Offline: nothing listens on this server's port once it is closed.
    const offline = serveRelease({});
    await offline.close();
    await assert.rejects(
      cachedOrDownloaded(
        options(`${offline.url}good/`, cacheDir, { attempts: 1 }),
      ),
      (e: Error) => {
        assert.match(e.message, /could not download/);
        assert.ok(e.message.includes(`had sha256 ${tamperedSha}`));
        assert.match(e.message, /not the pinned .* it was removed/);
        return true;
      },
    );
    assert.deepEqual(entries(cacheDir), []);

    await Deno.writeFile(cached, tampered);
    await using server = serveRelease({ [fileName]: bytes });
    const path = await cachedOrDownloaded(
      options(`${server.url}good/`, cacheDir),
    );
    assert.equal(await sha256Hex(await Deno.readFile(path)), sha256);
  });
});

Deno.test("a missing file is a clear error naming the URL, and is not retried", async () => {
  await using server = serveRelease({ [fileName]: bytes });
  await withCache(async (cacheDir) => {
    await assert.rejects(
      cachedOrDownloaded(options(`${server.url}v9.9.9/`, cacheDir)),
      (e: Error) => {
        assert.ok(
          e.message.includes(
            `${server.url}v9.9.9/${fileName} answered HTTP 404`,
          ),
          e.message,
        );
        assert.match(e.message, /no such file in this release/);
        assert.match(e.message, /deno task build/);
        assert.match(e.message, /OPENDAL_DENO_LIB/);
        return true;
      },
    );
    assert.equal(server.requests.get(`/v9.9.9/${fileName}`), 1);
    assert.deepEqual(entries(cacheDir), []);
  });
});

Deno.test("a server that does not answer times out, and the retry succeeds", async () => {
  await using server = serveRelease({ [fileName]: bytes });
  await withCache(async (cacheDir) => {
    const started = performance.now();
    const path = await cachedOrDownloaded(
      options(`${server.url}slow/`, cacheDir, { timeoutMs: 300 }),
    );
    assert.ok(performance.now() - started >= 300);
    assert.equal(server.requests.get(`/slow/${fileName}`), 2);
    assert.equal(await sha256Hex(await Deno.readFile(path)), sha256);
  });
});

Deno.test("a timeout on the last attempt says how to wait longer", async () => {
  await using server = serveRelease({ [fileName]: bytes });
  await withCache(async (cacheDir) => {
    await assert.rejects(
      cachedOrDownloaded(
        options(`${server.url}slow/`, cacheDir, {
          timeoutMs: 200,
          attempts: 1,
        }),
      ),
      (e: Error) => {
        assert.match(
          e.message,
          /attempt 1: no data from the server for 200 ms/,
        );
        assert.match(e.message, /OPENDAL_DENO_LIB_TIMEOUT/);
        return true;
      },
    );
    assert.deepEqual(entries(cacheDir), []);
  });
});

Deno.test("a 503 is retried", async () => {
  await using server = serveRelease({ [fileName]: bytes });
  await withCache(async (cacheDir) => {
    await cachedOrDownloaded(options(`${server.url}flaky/`, cacheDir));
    assert.equal(server.requests.get(`/flaky/${fileName}`), 2);
  });
});

Deno.test("a warm cache loads with the server stopped", async () => {
  await withCache(async (cacheDir) => {
    const server = serveRelease({ [fileName]: bytes });
    const first = await cachedOrDownloaded(
      options(`${server.url}good/`, cacheDir),
    );
    await server.close();
    const again = await cachedOrDownloaded(
      options(`${server.url}good/`, cacheDir, { attempts: 1 }),
    );
    assert.equal(again, first);
    assert.equal(typeof handleCount(again), "number");
  });
});

Deno.test("concurrent first loads both succeed and leave one intact file", async () => {
  await using server = serveRelease({ [fileName]: bytes });
  await withCache(async (cacheDir) => {
    const paths = await Promise.all([
      cachedOrDownloaded(options(`${server.url}good/`, cacheDir)),
      cachedOrDownloaded(options(`${server.url}good/`, cacheDir)),
    ]);
    assert.equal(paths[0], paths[1]);
    assert.equal(server.requests.get(`/good/${fileName}`), 2);
    assert.deepEqual(entries(cacheDir), [fileName]);
    assert.equal(await sha256Hex(await Deno.readFile(paths[0])), sha256);
  });
});

Deno.test("without a pinned checksum nothing is downloaded", async () => {
  await using server = serveRelease({ [fileName]: bytes });
  await withCache(async (cacheDir) => {
    await assert.rejects(
      cachedOrDownloaded(
        options(`${server.url}good/`, cacheDir, { sha256: undefined }),
      ),
      /publishes no prebuilt native library for this platform \(no pinned sha256 for .*\)[^]*deno task build/,
    );
    assert.equal(server.requests.size, 0);
  });
});

Deno.test("checksum files are validated", () => {
  const ok = parseRelease(
    { version: "1.2.3", files: { [fileName]: sha256 } },
    "x.json",
  );
  assert.equal(ok.files[fileName], sha256);
  assert.throws(
    () => parseRelease([], "x.json"),
    /x\.json is not a checksums file/,
  );
  assert.throws(
    () => parseRelease({ version: "", files: {} }, "x.json"),
    /"version" must be a non-empty string/,
  );
  assert.throws(
    () => parseRelease({ version: "1", files: { a: "ABC" } }, "x.json"),
    /the sha256 of a must be 64 lowercase hex digits/,
  );
});

Deno.test("release file names and cache directories per platform", () => {
  assert.equal(
    releaseFileName("linux", "x86_64"),
    "libopendal_deno-linux-x86_64.so",
  );
  assert.equal(
    releaseFileName("darwin", "aarch64"),
    "libopendal_deno-darwin-aarch64.dylib",
  );
  assert.equal(
    releaseFileName("windows", "x86_64"),
    "opendal_deno-windows-x86_64.dll",
  );
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assert.equal(
    cacheRoot(env({ DENO_DIR: "/d/", HOME: "/h" }), "linux"),
    "/d/opendal-deno",
  );
  assert.equal(
    cacheRoot(env({ XDG_CACHE_HOME: "/x", HOME: "/h" }), "linux"),
    "/x/opendal-deno",
  );
  assert.equal(
    cacheRoot(env({ HOME: "/h" }), "linux"),
    "/h/.cache/opendal-deno",
  );
  assert.equal(
    cacheRoot(env({ HOME: "/h" }), "darwin"),
    "/h/Library/Caches/opendal-deno",
  );
  assert.equal(
    cacheRoot(env({ LOCALAPPDATA: "C:\\L" }), "windows"),
    "C:\\L\\opendal-deno",
  );
  assert.equal(cacheRoot(env({}), "linux"), undefined);
});
