/**
 * Makes the npm packages that carry the native library: the one command the
 * release workflow runs on each platform, then once more to tie them up.
 *
 * ```sh
 * # on each platform: build (portable on Linux), strip, pack
 * deno run -A scripts/release.ts [--out dist] [--no-build]
 * # once, with every platform's dist/ gathered in one place
 * deno run -A scripts/release.ts --meta [--all] [--out dist]
 * # CI: only check that the versions agree
 * deno run -A scripts/release.ts --check
 * ```
 *
 * Per platform it builds the library (`scripts/build.ts --portable`),
 * refuses a Linux library that needs a glibc above 2.28, strips it, checks
 * that it loads, and writes the platform package
 * `<out>/npm/deno-native-<platform>/` and its tarball
 * `<out>/opendal-deno-native-<platform>-<version>.tgz` (packed by `npm pack`:
 * the bytes published are the bytes tested). `--no-build` packs the library
 * `deno task build` left in `rust/target/release/` instead, as the tests do
 * (its glibc floor is then only reported).
 *
 * `--meta` writes `@opendal/deno-native`, whose optional dependencies are the
 * platform packages found in `<out>/npm/`, and packs it; with `--all` it
 * refuses to leave out any platform (a release must cover them all). Publish the platform
 * tarballs first, then that one, then the JSR package.
 *
 * Every mode first checks that the package version (`deno.json`), the crate
 * version (`rust/Cargo.toml`), the npm package the loader imports
 * (`src/_loader/locate.ts`) and that package's source (`npm/deno-native/`) agree.
 *
 * @module
 */

import {
  buildFileName,
  NATIVE_PACKAGE,
  type Platform,
  platformOf,
  platformPackage,
  PLATFORMS,
} from "../src/_loader/platform.ts";
import { fileURLToPath } from "node:url";
import { compareVersions, glibcFloor, MAX_GLIBC } from "./glibc_floor.ts";

const repo = new URL("../", import.meta.url);
const path = (relative: string) => fileURLToPath(new URL(relative, repo));
/** npm is a batch file on Windows. */
const NPM = Deno.build.os === "windows" ? "npm.cmd" : "npm";

const FLAGS = ["--meta", "--all", "--check", "--no-build"];
const args = [...Deno.args];
const outAt = args.indexOf("--out");
const out = outAt >= 0 ? args.splice(outAt, 2)[1] : path("dist");
const unknown = args.filter((a) => !FLAGS.includes(a));
if (unknown.length || !out) fail(`unknown arguments: ${unknown.join(" ")}`);

function fail(message: string): never {
  console.error(`release: ${message}`);
  Deno.exit(1);
}

/** The `version` of the `[package]` table of Cargo.toml. */
function crateVersion(toml: string): string {
  const section = toml.split(/^\[/m).find((s) => s.startsWith("package]"));
  const version = section?.match(/^version\s*=\s*"([^"]+)"/m)?.[1];
  if (!version) fail("rust/Cargo.toml has no [package] version");
  return version;
}

/** The versioned native-package specifiers a source names (constant, import). */
function loaderSpecifiers(source: string): string[] {
  return [...source.matchAll(/"npm:(@opendal\/deno-native@\d[^"]*)"/g)]
    .map((m) => m[1]);
}

const config = JSON.parse(await Deno.readTextFile(path("deno.json")));
const version: unknown = config.version;
if (typeof version !== "string") fail('deno.json has no "version"');
const crate = crateVersion(await Deno.readTextFile(path("rust/Cargo.toml")));
if (crate !== version) {
  fail(
    `the package version (deno.json ${version}) and the crate version ` +
      `(rust/Cargo.toml ${crate}) differ: set both to the version you release`,
  );
}
const wanted = `${NATIVE_PACKAGE}@${version}`;
const named = loaderSpecifiers(
  await Deno.readTextFile(path("src/_loader/locate.ts")),
);
const wrong = named.filter((s) => s !== wanted);
if (named.length < 2 || wrong.length) {
  fail(
    `src/_loader/locate.ts must import npm:${wanted} (the package version), ` +
      `in its constant and its import(): it names ${
        named.map((s) => `npm:${s}`).join(", ") || "nothing"
      }`,
  );
}
const nativeSource = JSON.parse(
  await Deno.readTextFile(path("npm/deno-native/package.json")),
);
if (nativeSource.name !== NATIVE_PACKAGE || nativeSource.version !== version) {
  fail(
    `npm/deno-native/package.json must be ${wanted}, ` +
      `not ${nativeSource.name}@${nativeSource.version}`,
  );
}
if (Deno.args.includes("--check")) {
  console.log(
    `release --check: deno.json, rust/Cargo.toml and the loader agree on ${version}`,
  );
  Deno.exit(0);
}

/** Fields every package of the release shares. */
const COMMON = {
  version,
  license: "Apache-2.0",
  repository: {
    type: "git",
    url: "git+https://github.com/apache/opendal-deno.git",
  },
  homepage: "https://jsr.io/@opendal/core",
};

/** Runs a command, failing the release with its output when it fails. */
async function run(cmd: string, cmdArgs: string[], cwd?: string) {
  const result = await new Deno.Command(cmd, {
    args: cmdArgs,
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output().catch((e) => fail(`could not run ${cmd}: ${e.message}`));
  const text = new TextDecoder();
  if (!result.success) {
    fail(
      `${cmd} ${cmdArgs.join(" ")} failed:\n${text.decode(result.stderr)}`,
    );
  }
  return text.decode(result.stdout);
}

/** Packs `dir` with npm into `out`; returns the tarball's name and integrity. */
async function pack(dir: string) {
  const [info] = JSON.parse(
    await run(NPM, ["pack", dir, "--json", "--pack-destination", out]),
  );
  return info as { filename: string; integrity: string; size: number };
}

/** The byte count of `bytes` gzipped, as a package tarball carries them. */
async function gzipSize(bytes: Uint8Array<ArrayBuffer>): Promise<number> {
  const zipped = new Blob([bytes]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return (await new Response(zipped).arrayBuffer()).byteLength;
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/** Writes `files` (name to text or bytes) into a fresh package directory. */
async function writePackage(
  dir: string,
  files: Record<string, string | Uint8Array<ArrayBuffer>>,
) {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, data] of Object.entries(files)) {
    if (typeof data === "string") {
      await Deno.writeTextFile(`${dir}/${name}`, data);
    } else await Deno.writeFile(`${dir}/${name}`, data, { mode: 0o755 });
  }
}

/** Strips symbols the library does not need to load (not its exports). */
async function strip(file: string, platform: Platform) {
  // MSVC keeps debug information in a separate .pdb: nothing to strip.
  if (platform.os === "windows") return;
  await run(
    "strip",
    platform.os === "darwin" ? ["-x", file] : ["--strip-all", file],
  );
}

/** Loads the library and makes one call into it. */
function checkLoads(file: string) {
  const lib = Deno.dlopen(file, {
    opendal_handle_count: { parameters: [], result: "f64" },
  });
  lib.symbols.opendal_handle_count();
  lib.close();
}

async function platformRelease() {
  const platform = platformOf();
  if (!platform) {
    fail(`no release platform for ${Deno.build.os} ${Deno.build.arch}`);
  }
  if (!Deno.args.includes("--no-build")) {
    const build = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", path("scripts/build.ts"), "--portable"],
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (!build.success) fail("the build failed");
  }
  const fileName = buildFileName();
  const built = path(`rust/target/release/${fileName}`);
  await Deno.stat(built).catch(() =>
    fail(`no library at ${built}: run \`deno task build\` first`)
  );
  if (platform.os === "linux") {
    const floor = await glibcFloor(built);
    const above = floor !== undefined && compareVersions(floor, MAX_GLIBC) > 0;
    if (above && !Deno.args.includes("--no-build")) {
      fail(`${built} needs glibc ${floor}, above ${MAX_GLIBC}`);
    }
    console.log(
      `glibc floor: ${floor}${
        above ? ` (above ${MAX_GLIBC}: not portable)` : ""
      }`,
    );
  }
  const name = platformPackage(platform);
  const dir = `${out}/npm/${name.slice(name.indexOf("/") + 1)}`;
  const unstripped = (await Deno.stat(built)).size;
  await writePackage(dir, {
    "package.json": JSON.stringify(
      {
        name,
        ...COMMON,
        description:
          `The native library of @opendal/core for ${platform.os} ${platform.arch}`,
        os: [platform.npmOs],
        cpu: [platform.npmCpu],
        files: [fileName],
      },
      null,
      2,
    ) + "\n",
    "README.md":
      `# ${name}\n\nThe prebuilt native library of [\`@opendal/core\`](https://jsr.io/@opendal/core) ` +
      `for ${platform.os} ${platform.arch}. \`${NATIVE_PACKAGE}\` depends on it; you do not ` +
      "install it yourself.\n",
    [fileName]: await Deno.readFile(built),
  });
  await strip(`${dir}/${fileName}`, platform);
  checkLoads(`${dir}/${fileName}`);
  const stripped = await Deno.readFile(`${dir}/${fileName}`);
  const tarball = await pack(dir);
  console.log(
    `${name}@${version}: ${fileName} ${mb(unstripped)} built, ${
      mb(stripped.length)
    } ` +
      `stripped, ${mb(await gzipSize(stripped))} gzipped; ` +
      `${tarball.filename} ${mb(tarball.size)}, ${tarball.integrity}`,
  );
}

async function metaRelease() {
  const present: string[] = [];
  for (const platform of PLATFORMS) {
    const name = platformPackage(platform);
    const file = `${out}/npm/${name.slice(name.indexOf("/") + 1)}/package.json`;
    let found: { version?: string };
    try {
      found = JSON.parse(await Deno.readTextFile(file));
    } catch {
      continue;
    }
    if (found.version !== version) {
      fail(`${file} is version ${found.version}, the release is ${version}`);
    }
    present.push(name);
  }
  const absent = PLATFORMS.filter((p) => !present.includes(platformPackage(p)))
    .map((p) => `${p.os} ${p.arch}`).join(", ");
  if (!present.length || (absent && Deno.args.includes("--all"))) {
    fail(`no platform package for ${absent} in ${out}/npm/`);
  }
  // The source's package.json (what the checkout's workspace resolves),
  // with the release's fields and the platforms found.
  const source = path("npm/deno-native/");
  await writePackage(`${out}/npm/deno-native`, {
    "package.json": JSON.stringify(
      {
        ...nativeSource,
        ...COMMON,
        description:
          "The prebuilt native library of @opendal/core, per platform",
        optionalDependencies: Object.fromEntries(
          present.map((name) => [name, version]),
        ),
      },
      null,
      2,
    ) + "\n",
    "index.js": await Deno.readTextFile(`${source}index.js`),
    "index.d.ts": await Deno.readTextFile(`${source}index.d.ts`),
    "README.md": await Deno.readTextFile(`${source}README.md`),
  });
  const tarball = await pack(`${out}/npm/deno-native`);
  console.log(
    `${NATIVE_PACKAGE}@${version} for ${present.length} platform(s): ` +
      `${tarball.filename}, ${tarball.integrity}` +
      (absent ? `\n(no package for ${absent})` : ""),
  );
}

await Deno.mkdir(out, { recursive: true });
if (Deno.args.includes("--meta")) await metaRelease();
else await platformRelease();
