/**
 * The `file:` URL of `specifier` (`<platform package>/<file>`); throws when
 * that package is not installed.
 */
export function resolve(specifier: string): string;
