// The one module of @opendal/deno-native. Its optional dependencies are the
// platform packages, one per OS and CPU, each holding one prebuilt library;
// a package manager installs only the one that matches the machine.
// @opendal/core asks this module where that library is, because only from
// inside this package are its optional dependencies resolvable. It imports
// nothing: loading node:module here would cost Deno ~100 ms at startup.

/**
 * The `file:` URL of `specifier` (`<platform package>/<file>`); throws when
 * that package is not installed.
 *
 * @param {string} specifier
 * @returns {string}
 */
export function resolve(specifier) {
  return import.meta.resolve(specifier);
}
