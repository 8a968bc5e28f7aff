/**
 * Names that depend on the platform: the library's file name in a build and
 * in a release, and where downloaded libraries are cached.
 *
 * @module
 */

/**
 * An environment lookup: the value of a variable, or `undefined`.
 *
 * @example
 * ```ts
 * import type { Env } from "./loader_platform.ts";
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
 * import { envIfAllowed } from "./loader_platform.ts";
 * console.log(typeof (envIfAllowed("HOME") ?? "")); // string
 * ```
 */
export const envIfAllowed: Env = (name) => {
  const state = Deno.permissions.querySync({ name: "env", variable: name });
  return state.state === "granted" ? Deno.env.get(name) : undefined;
};

/**
 * The library's file name as cargo builds it on `os`.
 *
 * @example
 * ```ts
 * import { buildFileName } from "./loader_platform.ts";
 * console.log(buildFileName("linux")); // libopendal_deno.so
 * ```
 */
export function buildFileName(os: string = Deno.build.os): string {
  switch (os) {
    case "darwin":
      return "libopendal_deno.dylib";
    case "windows":
      return "opendal_deno.dll";
    default:
      return "libopendal_deno.so";
  }
}

/**
 * The library's file name in a release: the build's name with the platform
 * added, so every platform's file can sit in one directory.
 *
 * @example
 * ```ts
 * import { releaseFileName } from "./loader_platform.ts";
 * console.log(releaseFileName("linux", "x86_64")); // libopendal_deno-linux-x86_64.so
 * ```
 */
export function releaseFileName(
  os: string = Deno.build.os,
  arch: string = Deno.build.arch,
): string {
  const built = buildFileName(os);
  const dot = built.lastIndexOf(".");
  return `${built.slice(0, dot)}-${os}-${arch}${built.slice(dot)}`;
}

/**
 * The variables {@link cacheRoot} may read on `os`, in the order it tries them.
 *
 * @example
 * ```ts
 * import { cacheVariables } from "./loader_platform.ts";
 * console.log(cacheVariables("darwin")); // ["DENO_DIR", "HOME"]
 * ```
 */
export function cacheVariables(os: string = Deno.build.os): string[] {
  switch (os) {
    case "windows":
      return ["DENO_DIR", "LOCALAPPDATA"];
    case "darwin":
      return ["DENO_DIR", "HOME"];
    default:
      return ["DENO_DIR", "XDG_CACHE_HOME", "HOME"];
  }
}

/**
 * The directory downloaded libraries are cached under: `opendal-deno` in
 * `DENO_DIR` when set, else in the platform's cache directory
 * (`$XDG_CACHE_HOME` or `~/.cache`, `~/Library/Caches`, `%LOCALAPPDATA%`).
 * `undefined` when none of those variables can be read.
 *
 * @example
 * ```ts
 * import { cacheRoot } from "./loader_platform.ts";
 * const env = (name: string) => name === "HOME" ? "/home/me" : undefined;
 * console.log(cacheRoot(env, "linux")); // /home/me/.cache/opendal-deno
 * ```
 */
export function cacheRoot(
  env: Env = envIfAllowed,
  os: string = Deno.build.os,
): string | undefined {
  const sep = os === "windows" ? "\\" : "/";
  const under = (dir: string | undefined, ...parts: string[]) =>
    dir ? [dir.replace(/[\\/]+$/, ""), ...parts].join(sep) : undefined;
  const denoDir = under(env("DENO_DIR"), "opendal-deno");
  if (denoDir) return denoDir;
  switch (os) {
    case "windows":
      return under(env("LOCALAPPDATA"), "opendal-deno");
    case "darwin":
      return under(env("HOME"), "Library", "Caches", "opendal-deno");
    default:
      return under(env("XDG_CACHE_HOME"), "opendal-deno") ??
        under(env("HOME"), ".cache", "opendal-deno");
  }
}
