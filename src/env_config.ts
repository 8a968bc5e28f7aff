/**
 * Service options from the environment: `OPENDAL_<SCHEME>_<KEY>=value`, the
 * convention of OpenDAL's own test suites, read by the command-line tool, the
 * tests and the benchmark.
 *
 * @module
 */

/**
 * `OPENDAL_<SCHEME>_<KEY>=value` as `{ key: value }` (keys lower-cased), or
 * nothing when env access is not granted.
 */
export function configFromEnv(scheme: string): Record<string, string> {
  const granted = Deno.permissions.querySync({ name: "env" }).state ===
    "granted";
  if (!granted) return {};
  const prefix = `OPENDAL_${scheme.toUpperCase().replaceAll("-", "_")}_`;
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(Deno.env.toObject())) {
    if (key.startsWith(prefix) && key.length > prefix.length) {
      config[key.slice(prefix.length).toLowerCase()] = value;
    }
  }
  return config;
}
