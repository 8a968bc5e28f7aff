/**
 * Where the native library is, decided once when the module is imported.
 *
 * First match wins:
 * 1. `OPENDAL_DENO_LIB`: an explicit path (read only with
 *    `--allow-env=OPENDAL_DENO_LIB`);
 * 2. the local build `rust/target/release/`, when this module is loaded from
 *    a `file:` URL (a checkout) and the build exists;
 * 3. the prebuilt library in this platform's npm package, which Deno fetched
 *    with the module graph (at `deno add`, `deno install` or the first run),
 *    verified against the registry's integrity and pinned in `deno.lock`.
 *
 * None of these needs a permission beyond `--allow-ffi` to load the library.
 * A failure does not fail the import (type-only users never need the
 * library): it is kept and thrown by {@link libraryPath} at first use.
 *
 * @module
 */

import {
  buildFileName,
  type Platform,
  platformLibrary,
  platformOf,
  PLATFORMS,
} from "./platform.ts";

/**
 * What the native npm package exports: `import.meta.resolve` from inside it,
 * where its optional platform packages are visible.
 *
 * @example
 * ```ts
 * import type { NativePackage } from "./locate.ts";
 * const fake: NativePackage = { resolve: (s) => `file:///npm/${s}` };
 * console.log(fake.resolve("a/b.so")); // file:///npm/a/b.so
 * ```
 */
export interface NativePackage {
  /** The `file:` URL of `specifier` (`<package>/<file>`); throws when absent. */
  resolve(specifier: string): string;
}

/**
 * The npm package (and version) that carries the prebuilt library: always
 * this package's own version (`scripts/release.ts` checks it).
 *
 * @example
 * ```ts
 * import { NATIVE_SPECIFIER } from "./locate.ts";
 * console.log(NATIVE_SPECIFIER.startsWith("npm:@opendal/deno-native@")); // true
 * ```
 */
export const NATIVE_SPECIFIER = "npm:@opendal/deno-native@0.1.0";

/**
 * Imports {@link NATIVE_SPECIFIER}. The specifier is a literal on purpose:
 * Deno fetches a literal import with the module graph (at `deno add`,
 * `deno install` or the first run: only this platform's library, by the `os`
 * and `cpu` of its optional dependencies) and pins its integrity in
 * `deno.lock`, so no run needs network or file permissions. In a checkout,
 * the workspace member `npm/deno-native` stands in for it.
 */
async function importNativePackage(): Promise<NativePackage> {
  // Inline, not an import-map entry: the published file names the package.
  // deno-lint-ignore no-import-prefix
  return await import("npm:@opendal/deno-native@0.1.0");
}

/**
 * An environment lookup: the value of a variable, or `undefined`.
 *
 * @example
 * ```ts
 * import type { Env } from "./locate.ts";
 * const env: Env = (name) => name === "HOME" ? "/home/me" : undefined;
 * console.log(env("HOME")); // /home/me
 * ```
 */
export type Env = (name: string) => string | undefined;

/**
 * Reads an environment variable only when access is already granted (never
 * prompts, never throws).
 *
 * @example
 * ```ts
 * import { envIfAllowed } from "./locate.ts";
 * console.log(typeof (envIfAllowed("HOME") ?? "")); // string
 * ```
 */
export const envIfAllowed: Env = (name) => {
  const state = Deno.permissions.querySync({ name: "env", variable: name });
  return state.state === "granted" ? Deno.env.get(name) : undefined;
};

/** What to do instead when no library can be had. */
const ALTERNATIVES =
  "Build it from a checkout of the repository with `deno task build` (needs Rust, about 15\n" +
  "minutes) and run from that checkout, or point OPENDAL_DENO_LIB at a library you built\n" +
  "(granting --allow-env=OPENDAL_DENO_LIB).";

/**
 * The local path of a `file:` URL on `os`.
 *
 * @example
 * ```ts
 * import { filePath } from "./locate.ts";
 * const url = new URL("file:///C:/Users/me/opendal_deno.dll");
 * console.log(filePath(url, "windows")); // C:\Users\me\opendal_deno.dll
 * ```
 */
export function filePath(url: URL, os: string = Deno.build.os): string {
  const path = decodeURIComponent(url.pathname);
  return os === "windows" ? path.slice(1).replaceAll("/", "\\") : path;
}

/** The local build's path when this module runs from a checkout that has one. */
function localBuild(moduleUrl: string): string | undefined {
  const here = new URL(moduleUrl);
  if (here.protocol !== "file:") return undefined;
  const path = filePath(
    new URL(`../../rust/target/release/${buildFileName()}`, here),
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

/** "linux x86_64, ...": the platforms a release covers, for messages. */
function covered(): string {
  return PLATFORMS.map((p) => `${p.os} ${p.arch}`).join(", ");
}

/**
 * The prebuilt library for `platform` from the native npm package.
 *
 * @example
 * ```ts
 * import { prebuiltLibrary } from "./locate.ts";
 * const path = await prebuiltLibrary(
 *   { os: "darwin", arch: "aarch64" },
 *   () => Promise.resolve({ resolve: (s: string) => `file:///npm/${s}` }),
 * );
 * console.log(path); // /npm/@opendal/deno-native-darwin-arm64/libopendal_deno.dylib
 * ```
 */
export async function prebuiltLibrary(
  build: { os: string; arch: string } = Deno.build,
  importPackage: () => Promise<NativePackage> = importNativePackage,
): Promise<string> {
  const platform: Platform | undefined = platformOf(build.os, build.arch);
  if (!platform) {
    throw new Error(
      `@opendal/core has no prebuilt native library for ${build.os} ${build.arch} ` +
        `(prebuilt: ${covered()}).\n${ALTERNATIVES}`,
    );
  }
  let native: NativePackage;
  try {
    native = await importPackage();
  } catch (e) {
    throw new Error(
      `@opendal/core could not load ${NATIVE_SPECIFIER}, the package that ` +
        `carries its native library: ${cause(e)}\n${ALTERNATIVES}`,
    );
  }
  const wanted = platformLibrary(platform);
  try {
    const url = new URL(native.resolve(wanted));
    // An unresolvable specifier can come back unchanged instead of throwing.
    if (url.protocol !== "file:") throw new Error(`resolved to ${url.href}`);
    return filePath(url);
  } catch (e) {
    throw new Error(
      `@opendal/core has no prebuilt native library for ${build.os} ${build.arch}: ` +
        `${NATIVE_SPECIFIER} did not install ${
          wanted.slice(0, wanted.lastIndexOf("/"))
        } (${cause(e)}).\n${ALTERNATIVES}`,
    );
  }
}

/** An error's message without the importer's location Deno appends. */
function cause(e: unknown): string {
  return String((e as Error)?.message ?? e)
    .split("\n")
    .filter((line) => !/^\s+at /.test(line))
    .join("\n");
}

/**
 * Finds the library by the order in this module's documentation; `moduleUrl`
 * decides where a local build would be. The module calls it once, at import.
 *
 * @example
 * ```ts
 * import { locateLibrary } from "./locate.ts";
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
  return localBuild(moduleUrl) ?? await prebuiltLibrary();
}

const location: { path: string } | { error: unknown } = await locateLibrary()
  .then((path) => ({ path }), (error) => ({ error }));

/**
 * The native library's path, or the error that explains why there is none.
 *
 * @example
 * ```ts ignore
 * import { libraryPath } from "./locate.ts";
 * const lib = Deno.dlopen(libraryPath(), {});
 * ```
 */
export function libraryPath(): string {
  if ("error" in location) throw location.error;
  return location.path;
}
