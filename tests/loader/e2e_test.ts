// End to end: a copy of the TypeScript sources (no rust/ beside it, as on
// JSR) run in fresh processes that find no local build, so the library
// comes through the download path; OPENDAL_DENO_LIB_CHECKSUMS makes them
// trust the checksum of the library `deno task build` made.

import assert from "node:assert/strict";
import pinned from "../../src/checksums.json" with { type: "json" };
import { sha256Hex } from "../../src/loader_download.ts";
import { releaseFileName } from "../../src/loader_platform.ts";
import { localBuildBytes, serveRelease } from "./release_server.ts";

const VERSION = "0.0.0-e2e";
const fileName = releaseFileName();
const bytes = localBuildBytes();
const sha256 = await sha256Hex(bytes);
const repo = new URL("../../", import.meta.url);

/** Copies the published part of the package (no rust/) into `dir`. */
async function copyPackage(dir: string): Promise<void> {
  const copy = async (from: URL, to: string) => {
    const info = await Deno.stat(from);
    if (!info.isDirectory) return await Deno.copyFile(from, to);
    await Deno.mkdir(to, { recursive: true });
    for await (const e of Deno.readDir(from)) {
      await copy(
        new URL(e.name + (e.isDirectory ? "/" : ""), from),
        `${to}/${e.name}`,
      );
    }
  };
  for (const entry of ["deno.json", "mod.ts", "src/", "services/", "layers/"]) {
    await copy(new URL(entry, repo), `${dir}/${entry.replace(/\/$/, "")}`);
  }
  await Deno.writeTextFile(
    `${dir}/app.ts`,
    `console.log("imported");
const { MemoryOperator } = await import("./services/memory.ts");
using op = new MemoryOperator({});
await op.write("greeting", "hello from " + Deno.pid);
console.log(await op.readText("greeting"));
`,
  );
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  pid: number;
}

/** Runs app.ts of the copy with `flags` and a clean environment plus `env`. */
async function runApp(
  dir: string,
  flags: string[],
  env: Record<string, string>,
): Promise<Run> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", ...flags, `${dir}/app.ts`],
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: `${dir}/home`,
      NO_COLOR: "1",
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const out = await child.output();
  const text = new TextDecoder();
  return {
    code: out.code,
    stdout: text.decode(out.stdout),
    stderr: text.decode(out.stderr),
    pid: child.pid,
  };
}

const ALL = [
  "--allow-ffi",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-net=127.0.0.1",
];

async function withPackage(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "opendal-e2e-" });
  try {
    await copyPackage(dir);
    await Deno.writeTextFile(
      `${dir}/checksums.json`,
      JSON.stringify({ version: VERSION, files: { [fileName]: sha256 } }),
    );
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("two processes download at once, both work; a third loads offline from the cache", async () => {
  await withPackage(async (dir) => {
    const server = serveRelease({ [fileName]: bytes });
    const env = {
      DENO_DIR: `${dir}/deno`,
      OPENDAL_DENO_LIB_URL: `${server.url}good/`,
      OPENDAL_DENO_LIB_CHECKSUMS: `${dir}/checksums.json`,
    };
    let runs: Run[];
    try {
      runs = await Promise.all([runApp(dir, ALL, env), runApp(dir, ALL, env)]);
    } finally {
      await server.close();
    }
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, `imported\nhello from ${run.pid}\n`);
    }
    assert.ok((server.requests.get(`/good/${fileName}`) ?? 0) >= 1);
    const cacheDir = `${dir}/deno/opendal-deno/${VERSION}`;
    assert.deepEqual([...Deno.readDirSync(cacheDir)].map((e) => e.name), [
      fileName,
    ]);
    assert.equal(
      await sha256Hex(await Deno.readFile(`${cacheDir}/${fileName}`)),
      sha256,
    );

    const offline = await runApp(dir, ALL, env);
    assert.equal(offline.code, 0, offline.stderr);
    assert.equal(offline.stdout, `imported\nhello from ${offline.pid}\n`);
  });
});

Deno.test("a checksum that does not match is refused at first use, not at import", async () => {
  await using server = serveRelease({ [fileName]: bytes });
  await withPackage(async (dir) => {
    const wrong = "0".repeat(64);
    await Deno.writeTextFile(
      `${dir}/wrong.json`,
      JSON.stringify({ version: VERSION, files: { [fileName]: wrong } }),
    );
    const run = await runApp(dir, ALL, {
      DENO_DIR: `${dir}/deno`,
      OPENDAL_DENO_LIB_URL: `${server.url}good/`,
      OPENDAL_DENO_LIB_CHECKSUMS: `${dir}/wrong.json`,
    });
    assert.notEqual(run.code, 0);
    assert.equal(run.stdout, "imported\n");
    assert.match(run.stderr, /checksum mismatch/);
    assert.ok(
      run.stderr.includes(`expected sha256 ${wrong}, got ${sha256}`),
      run.stderr,
    );
    // Verified before anything is written: not even the directory exists.
    await assert.rejects(
      Deno.stat(`${dir}/deno/opendal-deno/${VERSION}`),
      Deno.errors.NotFound,
    );
  });
});

Deno.test("a missing permission names the flag that grants it", async () => {
  await using server = serveRelease({ [fileName]: bytes });
  await withPackage(async (dir) => {
    const env = {
      DENO_DIR: `${dir}/deno`,
      OPENDAL_DENO_LIB_URL: `${server.url}good/`,
      OPENDAL_DENO_LIB_CHECKSUMS: `${dir}/checksums.json`,
    };
    const noNet = await runApp(dir, ALL.slice(0, 4), env);
    assert.notEqual(noNet.code, 0);
    assert.equal(noNet.stdout, "imported\n");
    assert.ok(
      noNet.stderr.includes(`--allow-net=${server.host}`),
      noNet.stderr,
    );

    const noWrite = await runApp(
      dir,
      ["--allow-ffi", "--allow-read", "--allow-env", "--allow-net=127.0.0.1"],
      env,
    );
    assert.notEqual(noWrite.code, 0);
    assert.ok(
      noWrite.stderr.includes(
        `--allow-write=${dir}/deno/opendal-deno/${VERSION}`,
      ),
      noWrite.stderr,
    );
    assert.equal(server.requests.get(`/good/${fileName}`), 1);
  });
});

Deno.test("the committed checksums decide: none pinned means no download is tried, one pinned needs --allow-net", async () => {
  await withPackage(async (dir) => {
    const run = await runApp(dir, ALL.slice(0, 4), { DENO_DIR: `${dir}/deno` });
    assert.notEqual(run.code, 0);
    assert.equal(run.stdout, "imported\n");
    if (pinned.files[fileName as keyof typeof pinned.files] === undefined) {
      assert.match(
        run.stderr,
        /publishes no prebuilt native library for this platform/,
      );
      assert.match(run.stderr, /deno task build/);
    } else {
      // A release is pinned: without --allow-net the download is refused.
      assert.match(run.stderr, /--allow-net=github\.com/);
    }
  });
});

Deno.test("OPENDAL_DENO_LIB_TIMEOUT: a slow server is retried after that long; a bad value is explained", async () => {
  await using server = serveRelease({ [fileName]: bytes });
  await withPackage(async (dir) => {
    const env = {
      DENO_DIR: `${dir}/deno`,
      OPENDAL_DENO_LIB_URL: `${server.url}slow/`,
      OPENDAL_DENO_LIB_CHECKSUMS: `${dir}/checksums.json`,
    };
    const bad = await runApp(dir, ALL, {
      ...env,
      OPENDAL_DENO_LIB_TIMEOUT: "soon",
    });
    assert.notEqual(bad.code, 0);
    assert.equal(bad.stdout, "imported\n");
    assert.match(
      bad.stderr,
      /OPENDAL_DENO_LIB_TIMEOUT must be a positive number of milliseconds, got "soon"/,
    );
    assert.equal(server.requests.size, 0);

    const slow = await runApp(dir, ALL, {
      ...env,
      OPENDAL_DENO_LIB_TIMEOUT: "300",
    });
    assert.equal(slow.code, 0, slow.stderr);
    assert.equal(slow.stdout, `imported\nhello from ${slow.pid}\n`);
    assert.equal(server.requests.get(`/slow/${fileName}`), 2);
  });
});

Deno.test("without env access to a cache directory the error names the variables", async () => {
  await using server = serveRelease({ [fileName]: bytes });
  await withPackage(async (dir) => {
    const run = await runApp(dir, [
      "--allow-ffi",
      "--allow-read",
      "--allow-write",
      "--allow-net=127.0.0.1",
      "--allow-env=OPENDAL_DENO_LIB_URL,OPENDAL_DENO_LIB_CHECKSUMS",
    ], {
      DENO_DIR: `${dir}/deno`,
      OPENDAL_DENO_LIB_URL: `${server.url}good/`,
      OPENDAL_DENO_LIB_CHECKSUMS: `${dir}/checksums.json`,
    });
    assert.notEqual(run.code, 0);
    assert.match(
      run.stderr,
      /needs a cache directory .* --allow-env for one of DENO_DIR, XDG_CACHE_HOME, HOME that is set/,
    );
    assert.equal(server.requests.size, 0);
  });
});
