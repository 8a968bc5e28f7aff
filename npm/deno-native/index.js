// The one module of @opendal/deno-native. Its optional dependencies are the
// platform packages, one per OS and CPU, each holding one prebuilt library;
// a package manager installs only the one that matches the machine.
// @opendal/core asks this module where that library is, because only from
// inside this package are its optional dependencies resolvable.

import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * The path of `specifier` (`<platform package>/<file>`), or a throw when
 * that package is not installed.
 *
 * @param {string} specifier
 * @returns {string}
 */
export function resolve(specifier) {
  return require.resolve(specifier);
}
