/**
 * The path of `specifier` (`<platform package>/<file>`), or a throw when
 * that package is not installed.
 */
export function resolve(specifier: string): string;
