// The user's path, end to end: the release's npm packages (made by
// scripts/release.ts from the library `deno task build` made) and the JSR
// package (the files `deno publish` would upload) are served by local
// stand-ins for both registries; then, in an empty directory with an empty
// DENO_DIR and only `deno` on the PATH, a user runs `deno add
// jsr:@opendal/core`, writes an app and runs it with `--allow-ffi` alone.

import assert from "node:assert/strict";
import {
  buildFileName,
  NATIVE_PACKAGE,
  platformOf,
  platformPackage,
  PLATFORMS,
} from "../../src/_loader/platform.ts";
import {
  integrity,
  type JsrPackage,
  type NpmPackage,
  type Registry,
  serveJsr,
  serveNpm,
} from "./registries.ts";

const repo = decodeURIComponent(new URL("../../", import.meta.url).pathname);
const config = JSON.parse(await Deno.readTextFile(`${repo}deno.json`));
const version: string = config.version;
const platform = platformOf()!;
const work = await Deno.makeTempDir({ prefix: "opendal-install-" });
const text = new TextDecoder();

/** Runs a command; returns its exit code and output. */
async function exec(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; clearEnv?: boolean } =
    {},
) {
  const out = await new Deno.Command(cmd, {
    args,
    ...options,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: text.decode(out.stdout),
    stderr: text.decode(out.stderr),
  };
}

async function mustExec(cmd: string, args: string[], cwd?: string) {
  const r = await exec(cmd, args, { cwd });
  assert.equal(r.code, 0, `${cmd} ${args.join(" ")}:\n${r.stderr}`);
  return r;
}

/** Packs a package directory with npm, as the release does. */
async function npmPack(dir: string): Promise<NpmPackage> {
  const packed = await mustExec("npm", [
    "pack",
    dir,
    "--json",
    "--pack-destination",
    work,
  ]);
  const [info] = JSON.parse(packed.stdout);
  return {
    manifest: JSON.parse(await Deno.readTextFile(`${dir}/package.json`)),
    tarball: await Deno.readFile(`${work}/${info.filename}`),
  };
}

/** The package `name` as scripts/release.ts packed it into `dist`. */
async function released(dist: string, name: string): Promise<NpmPackage> {
  const dir = `${dist}/npm/${name.split("/")[1]}`;
  const manifest = JSON.parse(await Deno.readTextFile(`${dir}/package.json`));
  return {
    manifest,
    // npm names a scoped package's tarball <scope>-<name>-<version>.tgz.
    tarball: await Deno.readFile(
      `${dist}/${name.slice(1).replace("/", "-")}-${manifest.version}.tgz`,
    ),
  };
}

/** What a release serves: its npm packages and its JSR package. */
interface Release {
  /** This platform's package, with the library `deno task build` made. */
  real: NpmPackage;
  /** Stand-ins for the other platforms' packages. */
  others: NpmPackage[];
  /** `@opendal/deno-native`, listing all five. */
  meta: NpmPackage;
  jsr: JsrPackage;
}

let made: Promise<Release> | undefined;
/** The release, made once for the tests of this file. */
const release = () => made ??= makeRelease();

async function makeRelease(): Promise<Release> {
  // The release artifacts. In CI (OPENDAL_DENO_PORTABLE=1) this is the
  // release command itself: a portable build (already made by this run, so
  // cargo has nothing to do) whose glibc floor it enforces; elsewhere it packs
  // whatever `deno task build` made.
  const dist = `${work}/dist`;
  const releaseArgs = Deno.env.get("OPENDAL_DENO_PORTABLE") === "1"
    ? []
    : ["--no-build"];
  await mustExec(Deno.execPath(), [
    "run",
    "-A",
    `${repo}scripts/release.ts`,
    "--out",
    dist,
    ...releaseArgs,
  ]);
  const real = await released(dist, platformPackage(platform));
  // Stand-ins for the other platforms' packages: a full release lists all
  // five, and Deno must fetch only the one for this machine.
  const others: NpmPackage[] = [];
  for (const p of PLATFORMS.filter((p) => p !== platform)) {
    const dir = `${dist}/npm/${platformPackage(p).split("/")[1]}`;
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/package.json`,
      JSON.stringify({
        name: platformPackage(p),
        version,
        os: [p.npmOs],
        cpu: [p.npmCpu],
      }),
    );
    await Deno.writeTextFile(`${dir}/${buildFileName(p.os)}`, "not this one");
    others.push(await npmPack(dir));
  }
  await mustExec(Deno.execPath(), [
    "run",
    "-A",
    `${repo}scripts/release.ts`,
    "--meta",
    "--out",
    dist,
  ]);
  const meta = await released(dist, NATIVE_PACKAGE);

  // The JSR package: exactly the files `deno publish` would upload (it lists
  // them on stderr).
  const listed = await mustExec(
    Deno.execPath(),
    ["publish", "--dry-run", "--allow-dirty"],
    repo,
  );
  const jsrFiles = new Map<string, Uint8Array<ArrayBuffer>>();
  for (const m of listed.stderr.matchAll(/file:\/\/(\S+) \(/g)) {
    const path = decodeURIComponent(m[1]);
    jsrFiles.set(`/${path.slice(repo.length)}`, await Deno.readFile(path));
  }
  assert.ok(jsrFiles.has("/mod.ts") && jsrFiles.has("/services/fs.ts"));
  assert.ok(![...jsrFiles.keys()].some((f) => f.startsWith("/rust/")));
  const jsrPackage: JsrPackage = {
    name: config.name,
    version,
    exports: config.exports,
    files: jsrFiles,
  };

  // Only `deno` on the PATH: no cargo, no checkout.
  await Deno.mkdir(bin);
  await Deno.symlink(Deno.execPath(), `${bin}/deno`);
  return { real, others, meta, jsr: jsrPackage };
}

/** A meta package of `release` whose optional dependencies are only `packages`. */
async function metaFor(
  r: Release,
  packages: NpmPackage[],
): Promise<NpmPackage> {
  const dir = `${work}/meta-${crypto.randomUUID()}`;
  await Deno.mkdir(dir);
  for await (const e of Deno.readDir(`${work}/dist/npm/deno-native`)) {
    await Deno.copyFile(
      `${work}/dist/npm/deno-native/${e.name}`,
      `${dir}/${e.name}`,
    );
  }
  const manifest = { ...r.meta.manifest };
  manifest.optionalDependencies = Object.fromEntries(
    packages.map((p) => [p.manifest.name, version]),
  );
  await Deno.writeTextFile(`${dir}/package.json`, JSON.stringify(manifest));
  return await npmPack(dir);
}

const bin = `${work}/bin`;
// The harness (a symlinked deno, npm's batch file, PATH syntax) is written
// for Unix; the loader's Windows branch is unit-tested in tests/loader.
const WINDOWS = Deno.build.os === "windows";

const APP = `import { FsOperator } from "@opendal/core/services/fs";
import { RetryLayer } from "@opendal/core/layers/retry";

using op = new FsOperator({ root: Deno.args[0] })
  .layer(new RetryLayer({ maxTimes: 2 }));
await op.write("hello.txt", "hello from jsr");
console.log(await op.readText("hello.txt"));
console.log((await op.stat("hello.txt")).contentLength);
`;

/** A user's empty project and empty Deno cache, against `jsr` and `npm`. */
async function project(name: string, jsr: Registry, npm: Registry) {
  const dir = `${work}/${name}`;
  await Deno.mkdir(`${dir}/data`, { recursive: true });
  await Deno.writeTextFile(`${dir}/app.ts`, APP);
  const env = {
    PATH: bin,
    HOME: `${dir}/home`,
    DENO_DIR: `${dir}/deno_dir`,
    JSR_URL: jsr.url,
    NPM_CONFIG_REGISTRY: npm.url,
    NO_COLOR: "1",
  };
  const deno = (...args: string[]) =>
    exec("deno", args, { cwd: dir, env, clearEnv: true });
  return { dir, env, deno, data: `${dir}/data` };
}

/** The files under `dir` named `file`, at any depth. */
async function find(dir: string, file: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      if (e.isDirectory) await walk(`${d}/${e.name}`);
      else if (e.name === file) found.push(`${d}/${e.name}`);
    }
  };
  await walk(dir).catch(() => {});
  return found;
}

const tarballPath = (p: NpmPackage) =>
  `/${p.manifest.name}/-/${p.manifest.name.split("/")[1]}-${version}.tgz`;

Deno.test({
  name:
    "install: deno add jsr:@opendal/core, then deno run --allow-ffi works, and again offline",
  sanitizeResources: false,
  ignore: WINDOWS,
  async fn() {
    const { real, others, meta, jsr: jsrPackage } = await release();
    const jsr = await serveJsr(jsrPackage);
    const npm = await serveNpm([meta, real, ...others]);
    try {
      const user = await project("user", jsr, npm);
      const added = await user.deno("add", "jsr:@opendal/core");
      assert.equal(added.code, 0, added.stderr);

      // Only this platform's library was downloaded, and deno.lock pins it.
      assert.equal(npm.requests.get(tarballPath(real)), 1);
      for (const other of others) {
        assert.equal(npm.requests.get(tarballPath(other)), undefined);
      }
      const lock = JSON.parse(await Deno.readTextFile(`${user.dir}/deno.lock`));
      const pinned = lock.npm[`${real.manifest.name}@${version}`];
      assert.equal(pinned.integrity, await integrity(real.tarball));
      assert.ok(lock.npm[`${NATIVE_PACKAGE}@${version}`]);
      const cached = await find(`${user.dir}/deno_dir`, buildFileName());
      assert.equal(cached.length, 1, `cached libraries: ${cached}`);

      const run = await user.deno("run", "--allow-ffi", "app.ts", user.data);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, "hello from jsr\n14\n");
      assert.equal(
        await Deno.readTextFile(`${user.data}/hello.txt`),
        "hello from jsr",
      );

      // Offline: both registries gone, the same command still works.
      await jsr.close();
      await npm.close();
      await Deno.remove(`${user.data}/hello.txt`);
      const offline = await user.deno(
        "run",
        "--allow-ffi",
        "app.ts",
        user.data,
      );
      assert.equal(offline.code, 0, offline.stderr);
      assert.equal(offline.stdout, "hello from jsr\n14\n");

      // The lockfile pins the bytes: a registry that now serves another
      // (well-formed) library for this version is refused.
      const evilDir = `${work}/evil`;
      await Deno.mkdir(evilDir);
      await Deno.writeTextFile(
        `${evilDir}/package.json`,
        JSON.stringify(real.manifest),
      );
      await Deno.writeTextFile(`${evilDir}/${buildFileName()}`, "evil");
      const evil = await npmPack(evilDir);
      await using jsr2 = await serveJsr(jsrPackage);
      await using npm2 = await serveNpm([meta, evil, ...others]);
      const again = await project("user", jsr2, npm2);
      // Same project (same deno.lock), a fresh cache, the new registries.
      await Deno.remove(`${user.dir}/deno_dir`, { recursive: true });
      await Deno.writeTextFile(
        `${user.dir}/deno.lock`,
        (await Deno.readTextFile(`${user.dir}/deno.lock`)).replaceAll(
          npm.url,
          npm2.url,
        ),
      );
      const refused = await again.deno(
        "run",
        "--allow-ffi",
        "app.ts",
        user.data,
      );
      assert.notEqual(refused.code, 0);
      // Deno expects the integrity deno.lock pinned, not the registry's.
      assert.match(refused.stderr, /checksum did not match/);
      assert.ok(
        refused.stderr.includes(
          `Expected: ${pinned.integrity.slice("sha512-".length)}`,
        ),
        refused.stderr,
      );
      assert.match(refused.stderr, new RegExp(real.manifest.name));
      assert.doesNotMatch(refused.stdout, /hello/);
    } finally {
      await jsr.close();
      await npm.close();
    }
  },
});

Deno.test({
  name: "install: a tampered library tarball is refused and nothing is cached",
  sanitizeResources: false,
  ignore: WINDOWS,
  async fn() {
    const { real, others, meta, jsr: jsrPackage } = await release();
    const tampered = real.tarball.slice();
    tampered[tampered.length >> 1] ^= 0xff;
    await using jsr = await serveJsr(jsrPackage);
    await using npm = await serveNpm([
      meta,
      // The packument keeps the true integrity; the bytes differ.
      { ...real, tarball: tampered, integrity: await integrity(real.tarball) },
      ...others,
    ]);
    const user = await project("tampered", jsr, npm);
    const added = await user.deno("add", "jsr:@opendal/core");
    assert.notEqual(added.code, 0);
    assert.match(added.stderr, /[Cc]hecksum|[Ii]ntegrity/);
    assert.match(added.stderr, new RegExp(real.manifest.name));
    assert.deepEqual(await find(`${user.dir}/deno_dir`, buildFileName()), []);
    const run = await user.deno("run", "--allow-ffi", "app.ts", user.data);
    assert.notEqual(run.code, 0);
    assert.deepEqual(await find(`${user.dir}/deno_dir`, buildFileName()), []);
  },
});

Deno.test({
  name:
    "install: a release without this platform's library fails at first use with a clear error",
  sanitizeResources: false,
  ignore: WINDOWS,
  async fn() {
    const { others, jsr: jsrPackage } = await release();
    await using jsr = await serveJsr(jsrPackage);
    await using npm = await serveNpm([
      await metaFor(await release(), others),
      ...others,
    ]);
    const user = await project("unsupported", jsr, npm);
    const added = await user.deno("add", "jsr:@opendal/core");
    assert.equal(added.code, 0, added.stderr);
    const run = await user.deno("run", "--allow-ffi", "app.ts", user.data);
    assert.notEqual(run.code, 0);
    assert.match(
      run.stderr,
      new RegExp(
        `@opendal/core has no prebuilt native library for ${Deno.build.os} ${Deno.build.arch}: ` +
          `npm:${NATIVE_PACKAGE}@${version} did not install ${
            platformPackage(platform)
          }`,
      ),
    );
    assert.match(run.stderr, /deno task build/);
    assert.match(run.stderr, /OPENDAL_DENO_LIB/);
  },
});

globalThis.addEventListener("unload", () => {
  Deno.removeSync(work, { recursive: true });
});
