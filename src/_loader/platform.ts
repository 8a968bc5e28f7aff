/**
 * Names that depend on the platform: the library's file name, and the npm
 * package that carries the prebuilt library for each platform a release
 * covers.
 *
 * @module
 */

/**
 * The npm package every platform package hangs off: it lists them as
 * optional dependencies, each limited to its `os` and `cpu`, so a package
 * manager fetches only the one for the machine it runs on.
 *
 * @example
 * ```ts
 * import { NATIVE_PACKAGE } from "./platform.ts";
 * console.log(NATIVE_PACKAGE); // @opendal/deno-native
 * ```
 */
export const NATIVE_PACKAGE = "@opendal/deno-native";

/**
 * One platform a release ships a library for.
 *
 * @example
 * ```ts
 * import { PLATFORMS } from "./platform.ts";
 * console.log(PLATFORMS[0].npmOs, PLATFORMS[0].npmCpu); // linux x64
 * ```
 */
export interface Platform {
  /** `Deno.build.os`. */
  os: string;
  /** `Deno.build.arch`. */
  arch: string;
  /** The Rust target the release builds (see `scripts/release.ts`). */
  rustTarget: string;
  /** npm's name for the OS (`process.platform`), for the package's `os`. */
  npmOs: string;
  /** npm's name for the CPU (`process.arch`), for the package's `cpu`. */
  npmCpu: string;
  /** The platform package's name suffix, as napi names them. */
  suffix: string;
}

/**
 * Every platform Deno supports, which is every platform a release covers.
 * Linux builds target glibc 2.28, so they load on Debian 10, Ubuntu 18.10,
 * RHEL 8 and anything newer.
 *
 * @example
 * ```ts
 * import { PLATFORMS } from "./platform.ts";
 * console.log(PLATFORMS.length); // 5
 * ```
 */
export const PLATFORMS: readonly Platform[] = [
  {
    os: "linux",
    arch: "x86_64",
    rustTarget: "x86_64-unknown-linux-gnu",
    npmOs: "linux",
    npmCpu: "x64",
    suffix: "linux-x64-gnu",
  },
  {
    os: "linux",
    arch: "aarch64",
    rustTarget: "aarch64-unknown-linux-gnu",
    npmOs: "linux",
    npmCpu: "arm64",
    suffix: "linux-arm64-gnu",
  },
  {
    os: "darwin",
    arch: "x86_64",
    rustTarget: "x86_64-apple-darwin",
    npmOs: "darwin",
    npmCpu: "x64",
    suffix: "darwin-x64",
  },
  {
    os: "darwin",
    arch: "aarch64",
    rustTarget: "aarch64-apple-darwin",
    npmOs: "darwin",
    npmCpu: "arm64",
    suffix: "darwin-arm64",
  },
  {
    os: "windows",
    arch: "x86_64",
    rustTarget: "x86_64-pc-windows-msvc",
    npmOs: "win32",
    npmCpu: "x64",
    suffix: "win32-x64-msvc",
  },
];

/**
 * The library's file name as cargo builds it on `os`.
 *
 * @example
 * ```ts
 * import { buildFileName } from "./platform.ts";
 * console.log(buildFileName("linux")); // libopendal_deno.so
 * console.log(buildFileName("windows")); // opendal_deno.dll
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
 * The release's platform entry for `os` and `arch`, or `undefined` when no
 * release covers it.
 *
 * @example
 * ```ts
 * import { platformOf } from "./platform.ts";
 * console.log(platformOf("darwin", "aarch64")?.suffix); // darwin-arm64
 * console.log(platformOf("linux", "riscv64")); // undefined
 * ```
 */
export function platformOf(
  os: string = Deno.build.os,
  arch: string = Deno.build.arch,
): Platform | undefined {
  return PLATFORMS.find((p) => p.os === os && p.arch === arch);
}

/**
 * The name of the npm package that carries `platform`'s library.
 *
 * @example
 * ```ts
 * import { platformOf, platformPackage } from "./platform.ts";
 * console.log(platformPackage(platformOf("windows", "x86_64")!));
 * // @opendal/deno-native-win32-x64-msvc
 * ```
 */
export function platformPackage(platform: Platform): string {
  return `${NATIVE_PACKAGE}-${platform.suffix}`;
}

/**
 * What the loader asks the native package to resolve on `platform`: the
 * library inside that platform's package.
 *
 * @example
 * ```ts
 * import { platformOf, platformLibrary } from "./platform.ts";
 * console.log(platformLibrary(platformOf("darwin", "x86_64")!));
 * // @opendal/deno-native-darwin-x64/libopendal_deno.dylib
 * ```
 */
export function platformLibrary(platform: Platform): string {
  return `${platformPackage(platform)}/${buildFileName(platform.os)}`;
}
