/**
 * Where the native library is, decided once when the module is imported.
 *
 * First match wins:
 * 1. `OPENDAL_DENO_LIB`: an explicit path (read only with
 *    `--allow-env=OPENDAL_DENO_LIB`);
 * 2. the local build `rust/target/release/`, when this module is loaded from
 *    a `file:` URL (a checkout) and the build exists;
 * 3. the per-version cache, `<cache>/opendal-deno/<version>/<file>`, when its
 *    sha256 matches the one pinned in `checksums.json`;
 * 4. a download from the release (`OPENDAL_DENO_LIB_URL` overrides the base
 *    URL), verified against the pinned sha256, then cached.
 *
 * Steps 1 and 2 cost no network and no file read. A failure does not fail
 * the import (type-only users never need the library): it is kept and thrown
 * by {@link libraryPath} at first use.
 *
 * @module
 */

import pinned from "./checksums.json" with { type: "json" };
import {
  cachedOrDownloaded,
  DEFAULTS,
  parseRelease,
  type Release,
} from "./loader_download.ts";
import {
  buildFileName,
  cacheRoot,
  cacheVariables,
  type Env,
  envIfAllowed,
  releaseFileName,
} from "./loader_platform.ts";

/**
 * The base URL of release `version`'s files.
 *
 * @example
 * ```ts
 * import { defaultBaseUrl } from "./loader.ts";
 * console.log(defaultBaseUrl("0.1.0").endsWith("/v0.1.0/")); // true
 * ```
 */
export function defaultBaseUrl(version: string): string {
  return `https://github.com/apache/opendal-deno/releases/download/v${version}/`;
}

/**
 * The checksums to trust: the pinned ones, or the file named by
 * `OPENDAL_DENO_LIB_CHECKSUMS` (same format). Choosing that file needs the
 * same env grant as choosing any library through `OPENDAL_DENO_LIB`.
 */
async function trustedChecksums(env: Env): Promise<Release> {
  const file = env("OPENDAL_DENO_LIB_CHECKSUMS");
  if (!file) return parseRelease(pinned, "src/checksums.json");
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) {
      throw new Deno.errors.NotCapable(
        `@opendal/core needs to read OPENDAL_DENO_LIB_CHECKSUMS: run with --allow-read=${file}`,
      );
    }
    throw new Error(
      `@opendal/core could not read OPENDAL_DENO_LIB_CHECKSUMS (${file}): ${
        (e as Error).message
      }`,
    );
  }
  return parseRelease(JSON.parse(text), `OPENDAL_DENO_LIB_CHECKSUMS (${file})`);
}

/** `OPENDAL_DENO_LIB_TIMEOUT`, in milliseconds, or the default. */
function timeoutMs(env: Env): number {
  const text = env("OPENDAL_DENO_LIB_TIMEOUT");
  if (text === undefined) return DEFAULTS.timeoutMs;
  const ms = Number(text);
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new RangeError(
      `OPENDAL_DENO_LIB_TIMEOUT must be a positive number of milliseconds, got "${text}"`,
    );
  }
  return ms;
}

/** The local build's path when this module runs from a checkout that has one. */
function localBuild(moduleUrl: string): string | undefined {
  const here = new URL(moduleUrl);
  if (here.protocol !== "file:") return undefined;
  const path = decodeURIComponent(
    new URL(`../rust/target/release/${buildFileName()}`, here).pathname,
  );
  // Without read permission the file cannot be looked for; running from a
  // checkout with only --allow-ffi=<path> is how the local build is meant
  // to be used, so it is taken as is.
  if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") {
    return path;
  }
  try {
    return Deno.statSync(path).isFile ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds the library by the order in this module's documentation; `moduleUrl`
 * decides where a local build would be. The module calls it once, at import.
 *
 * @example
 * ```ts
 * import { locateLibrary } from "./loader.ts";
 * const env = (name: string) =>
 *   name === "OPENDAL_DENO_LIB" ? "/opt/libopendal_deno.so" : undefined;
 * console.log(await locateLibrary(env)); // /opt/libopendal_deno.so
 * ```
 */
export async function locateLibrary(
  env: Env = envIfAllowed,
  moduleUrl: string = import.meta.url,
): Promise<string> {
  const explicit = env("OPENDAL_DENO_LIB");
  if (explicit) return explicit;
  const local = localBuild(moduleUrl);
  if (local) return local;

  const release = await trustedChecksums(env);
  const fileName = releaseFileName();
  const root = cacheRoot(env);
  // Without a pinned checksum there is nothing to cache: that error (from
  // cachedOrDownloaded, before it touches the cache) says more.
  if (!root && release.files[fileName]) {
    throw new Deno.errors.NotCapable(
      "@opendal/core needs a cache directory for its native library: grant " +
        `--allow-env for one of ${cacheVariables().join(", ")} that is set ` +
        `(e.g. --allow-env=${cacheVariables().at(-1)})`,
    );
  }
  return await cachedOrDownloaded({
    baseUrl: env("OPENDAL_DENO_LIB_URL") ?? defaultBaseUrl(release.version),
    cacheDir: `${root}/${release.version}`,
    fileName,
    sha256: release.files[fileName],
    version: release.version,
    timeoutMs: timeoutMs(env),
    attempts: DEFAULTS.attempts,
    backoffMs: DEFAULTS.backoffMs,
  });
}

const location: { path: string } | { error: unknown } = await locateLibrary()
  .then((path) => ({ path }), (error) => ({ error }));

/**
 * The native library's path, or the error that explains why there is none.
 *
 * @example
 * ```ts ignore
 * import { libraryPath } from "./loader.ts";
 * const lib = Deno.dlopen(libraryPath(), {});
 * ```
 */
export function libraryPath(): string {
  if ("error" in location) throw location.error;
  return location.path;
}
