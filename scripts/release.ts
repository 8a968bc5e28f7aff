/**
 * Prepares this platform's release file of the native library and the
 * checksum the loader pins for it.
 *
 * ```sh
 * deno run --allow-run --allow-read --allow-write --allow-env --allow-ffi scripts/release.ts [--check]
 * ```
 *
 * It builds the library (release, through `scripts/build.ts`), copies it to
 * `dist/<release file name>` (e.g. `libopendal_deno-linux-x86_64.so`) and
 * records its sha256 in `src/checksums.json`, the table the loader trusts.
 * Run it on every platform of a release, upload `dist/*` as the release's
 * files (`v<version>`) and commit `src/checksums.json`.
 *
 * The package version (`deno.json`) and the crate version
 * (`rust/Cargo.toml`) must agree. When the table holds another version, it
 * is started afresh: old checksums never carry over to a new version.
 *
 * `--check` (for CI) rewrites nothing: it builds into a temporary directory,
 * and checks that the versions agree with the committed table's, that the
 * committed table is well formed, and that the file it would publish loads
 * through the loader's verified download path.
 *
 * @module
 */

import {
  cachedOrDownloaded,
  parseRelease,
  type Release,
  sha256Hex,
} from "../src/loader_download.ts";
import { buildFileName, releaseFileName } from "../src/loader_platform.ts";

const repo = new URL("../", import.meta.url);
const path = (relative: string) =>
  decodeURIComponent(new URL(relative, repo).pathname);
const check = Deno.args.includes("--check");
const unknown = Deno.args.filter((a) => a !== "--check");
if (unknown.length) fail(`unknown arguments: ${unknown.join(" ")}`);

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

const packageVersion: unknown =
  JSON.parse(await Deno.readTextFile(path("deno.json"))).version;
if (typeof packageVersion !== "string") fail('deno.json has no "version"');
const crate = crateVersion(await Deno.readTextFile(path("rust/Cargo.toml")));
if (crate !== packageVersion) {
  fail(
    `the package version (deno.json ${packageVersion}) and the crate version ` +
      `(rust/Cargo.toml ${crate}) differ: set both to the version you release`,
  );
}
const checksumsFile = path("src/checksums.json");
let committed: Release;
try {
  committed = parseRelease(
    JSON.parse(await Deno.readTextFile(checksumsFile)),
    "src/checksums.json",
  );
} catch (e) {
  fail((e as Error).message);
}
// Every entry must be named the way the loader asks for a platform's file.
const releaseName = /^(lib)?opendal_deno-([a-z0-9_]+)-([a-z0-9_]+)\.[a-z]+$/;
for (const name of Object.keys(committed.files)) {
  const m = name.match(releaseName);
  if (!m || releaseFileName(m[2], m[3]) !== name) {
    fail(`src/checksums.json lists ${name}, which is no release file name`);
  }
}
if (check && committed.version !== packageVersion) {
  fail(
    `src/checksums.json is for ${committed.version}, the package is ${packageVersion}: ` +
      "run scripts/release.ts on each platform of the release and commit the table",
  );
}

// Build (incremental: the cargo target directory is shared).
const build = await new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "--allow-run",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    path("scripts/build.ts"),
  ],
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (!build.success) fail("the build failed");

const outDir = check
  ? await Deno.makeTempDir({ prefix: "opendal-release-" })
  : path("dist");
try {
  await Deno.mkdir(outDir, { recursive: true });
  const fileName = releaseFileName();
  const built = path(`rust/target/release/${buildFileName()}`);
  const bytes = await Deno.readFile(built);
  const sha256 = await sha256Hex(bytes);
  // Written under a temporary name and renamed: a reader never sees half.
  await Deno.writeFile(`${outDir}/${fileName}.part`, bytes, { mode: 0o755 });
  await Deno.rename(`${outDir}/${fileName}.part`, `${outDir}/${fileName}`);

  const table: Release = {
    version: packageVersion,
    files: committed.version === packageVersion
      ? { ...committed.files, [fileName]: sha256 }
      : { [fileName]: sha256 },
  };
  const sorted = Object.fromEntries(
    Object.entries(table.files).sort(([a], [b]) => a.localeCompare(b)),
  );
  const text = JSON.stringify({ ...table, files: sorted }, null, 2) + "\n";
  await Deno.writeTextFile(
    check ? `${outDir}/checksums.json` : checksumsFile,
    text,
  );

  // What a user gets: the loader fetches the file by its release name,
  // verifies it against the table and caches it; then it must load.
  const cacheDir = await Deno.makeTempDir({ prefix: "opendal-release-cache-" });
  try {
    const loaded = await cachedOrDownloaded({
      baseUrl: new URL(`file://${outDir}/`).href,
      cacheDir,
      fileName,
      sha256: table.files[fileName],
      version: table.version,
      timeoutMs: 30_000,
      attempts: 1,
      backoffMs: 0,
    });
    const lib = Deno.dlopen(loaded, {
      opendal_handle_count: { parameters: [], result: "f64" },
    });
    lib.symbols.opendal_handle_count();
    lib.close();
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
  }

  console.log(`release ${packageVersion}: ${fileName} sha256 ${sha256}`);
  if (check) {
    const pinned = committed.files[fileName];
    console.log(
      pinned
        ? `src/checksums.json pins ${fileName} at ${pinned} (the published file; ` +
          "builds are not bit-for-bit reproducible, so a local build differs)"
        : `src/checksums.json pins no ${fileName}: ${packageVersion} is not published ` +
          "for this platform, and the loader refuses to download it",
    );
    console.log(
      "release --check: versions agree, the table is well formed, the file loads",
    );
  } else {
    console.log(
      `wrote dist/${fileName} and src/checksums.json: upload dist/* as the files of ` +
        `release v${packageVersion}, then commit src/checksums.json`,
    );
  }
} finally {
  if (check) await Deno.remove(outDir, { recursive: true });
}
