/**
 * Where a command-line argument points: a service, its config, and a path.
 *
 * `scheme://authority/path`: the authority names the bucket, container or
 * server (see `AUTHORITY` below); the path is the object's full path in the
 * service, taken verbatim (no percent-decoding, no query string). With no
 * authority (`s3:///key`), the service comes entirely from options.
 * Anything without `scheme://` is a local path (fs): absolute under root
 * `/`, relative under the working directory (`..` moves the root up).
 *
 * Config precedence: `-o key=value` flags, then what the URI says, then
 * `OPENDAL_<SCHEME>_<KEY>` environment variables. The URI sets `root` to `/`
 * so its path is absolute in the service; `-o root=...` makes it relative.
 *
 * @module
 */

import { configFromEnv } from "../env_config.ts";
import { OpendalError } from "../errors.ts";

/** A parsed location: the operator to open and the path inside it. */
export interface Location {
  /** OpenDAL's scheme (`rediss://` gives `redis`, `https://` gives `http`). */
  readonly scheme: string;
  /** The config for `new Operator(scheme, config)`. */
  readonly config: Readonly<Record<string, string>>;
  /** The path relative to the operator's root; directories end with `/`. */
  readonly path: string;
  /** The argument as the user wrote it, for messages. */
  readonly display: string;
}

/** What the authority of `scheme://authority/...` sets, per scheme. */
type AuthorityRule = (authority: string, rest: string[]) => Record<
  string,
  string
>;

const bucket = (key: string): AuthorityRule => (a) => ({ [key]: a });
const endpoint = (key: string, prefix: string): AuthorityRule => (a) => ({
  [key]: `${prefix}${a}`,
});
/** `postgresql://user:pw@host:port/db/key`: the first segment is the database. */
const database = (scheme: string): AuthorityRule => (a, rest) => {
  const db = rest.shift();
  if (!db) {
    const shown = withoutPassword(`${scheme}://${a}/`);
    throw usage(`${shown} needs a database name: ${shown}<database>/<path>`);
  }
  return { connection_string: `${scheme}://${a}/${db}` };
};

/** Schemes whose URI authority means something, and what it sets. */
const AUTHORITY: Record<string, AuthorityRule> = {
  s3: bucket("bucket"),
  gcs: bucket("bucket"),
  azblob: bucket("container"),
  http: endpoint("endpoint", "http://"),
  https: endpoint("endpoint", "https://"),
  webdav: endpoint("endpoint", "https://"),
  "webdav+https": endpoint("endpoint", "https://"),
  "webdav+http": endpoint("endpoint", "http://"),
  sftp: (a): Record<string, string> => {
    const at = a.lastIndexOf("@");
    return at < 0
      ? { endpoint: `ssh://${a}` }
      : { user: a.slice(0, at), endpoint: `ssh://${a.slice(at + 1)}` };
  },
  redis: endpoint("endpoint", "redis://"),
  rediss: endpoint("endpoint", "rediss://"),
  memcached: endpoint("endpoint", "tcp://"),
  etcd: endpoint("endpoints", "http://"),
  "etcd+https": endpoint("endpoints", "https://"),
  "etcd+http": endpoint("endpoints", "http://"),
  postgresql: database("postgresql"),
  mysql: database("mysql"),
};

/** URI schemes that are another name for an OpenDAL scheme. */
const ALIASES: Record<string, string> = {
  https: "http",
  "webdav+https": "webdav",
  "webdav+http": "webdav",
  rediss: "redis",
  "etcd+https": "etcd",
  "etcd+http": "etcd",
  postgres: "postgresql",
  file: "fs",
};

/** A usage error: the argument itself is wrong. */
export function usage(message: string): OpendalError {
  return new OpendalError("ConfigInvalid", message, { operation: "parse" });
}

/** `["key=value", ...]` from `-o` flags as an object. */
export function parseOptions(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw usage(`-o expects key=value, got "${pair}"`);
    out[pair.slice(0, eq).trim().replaceAll("-", "_")] = pair.slice(eq + 1);
  }
  return out;
}

const URI = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/s;

/**
 * `arg` with the userinfo of `scheme://user:password@host/...` masked
 * (`user:***@`, or `***@` without a `:`), for messages. Found by the URI's
 * structure, as the native library masks its own messages
 * (`rust/src/redact.rs`): the authority ends at the first `/`, `?` or `#`,
 * its userinfo at the authority's last `@`, so any character a password
 * holds is masked.
 *
 * @example
 * ```ts
 * import { withoutPassword } from "./location.ts";
 *
 * console.log(withoutPassword("redis://u:hunter2,x@127.0.0.1/key")); // redis://u:***@127.0.0.1/key
 * ```
 */
export function withoutPassword(arg: string): string {
  const m = URI.exec(arg);
  if (!m) return arg;
  const rest = m[2];
  const end = rest.search(/[/?#\r\n]/);
  const at = (end < 0 ? rest : rest.slice(0, end)).lastIndexOf("@");
  if (at < 0) return arg;
  const colon = rest.indexOf(":");
  const user = colon >= 0 && colon < at ? rest.slice(0, colon + 1) : "";
  return `${m[1]}://${user}***${rest.slice(at)}`;
}

/**
 * Parses `arg` into a location. `options` (from `-o`) override the URI,
 * which overrides the environment.
 *
 * @example
 * ```ts
 * import { parseLocation } from "./location.ts";
 *
 * const loc = parseLocation("s3://photos/2024/cat.jpg", {});
 * console.log(loc.config.bucket, loc.path); // photos 2024/cat.jpg
 * ```
 */
export function parseLocation(
  arg: string,
  options: Readonly<Record<string, string>>,
): Location {
  if (arg === "") throw usage("empty path");
  const m = URI.exec(arg);
  if (!m) return fsLocation(arg, arg, options);
  const uriScheme = m[1].toLowerCase();
  const scheme = ALIASES[uriScheme] ?? uriScheme;
  if (scheme === "fs") return fsLocation(m[2], arg, options);
  const rule = AUTHORITY[uriScheme];
  let fromUri: Record<string, string> = { root: "/" };
  let rest: string;
  if (rule) {
    const slash = m[2].indexOf("/");
    const authority = slash < 0 ? m[2] : m[2].slice(0, slash);
    const segments = (slash < 0 ? "" : m[2].slice(slash + 1)).split("/");
    if (authority) fromUri = { ...fromUri, ...rule(authority, segments) };
    rest = segments.join("/");
  } else {
    // memory://a/b, sqlite:///a/b: no authority, the whole rest is the path.
    rest = m[2];
  }
  return {
    scheme,
    config: { ...configFromEnv(scheme), ...fromUri, ...options },
    path: rest.replace(/^\/+/, ""),
    display: withoutPassword(arg),
  };
}

/**
 * `local` with `.` and `name/..` segments resolved, as `[ups, rest]`: how
 * many `..` lead out of the starting directory, and the path below that.
 */
function normalize(local: string): [number, string] {
  const out: string[] = [];
  let ups = 0;
  for (const segment of local.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment !== "..") out.push(segment);
    else if (out.length) out.pop();
    else ups++;
  }
  const dir = out.length > 0 && /(^|\/)\.{0,2}\/*$/.test(local);
  return [ups, out.join("/") + (dir ? "/" : "")];
}

/**
 * A local path: absolute under root `/`; relative under the working
 * directory (`.`), or under `..`, `../..` when it starts by going up, since
 * no path may leave its root.
 */
function fsLocation(
  local: string,
  display: string,
  options: Readonly<Record<string, string>>,
): Location {
  const absolute = local.startsWith("/");
  const [ups, path] = normalize(local);
  const root = absolute ? "/" : ups ? Array(ups).fill("..").join("/") : ".";
  return {
    scheme: "fs",
    config: { ...configFromEnv("fs"), root, ...options },
    path,
    display,
  };
}

/**
 * `path`, a path in `loc`'s service, written the way the user wrote `loc`:
 * what `--json` prints, so it can be fed back to the tool. `/tmp/x` stays
 * `/tmp/x`, `../data/x` stays `../data/x`, `s3://b/k` stays `s3://b/k`.
 *
 * @example
 * ```ts
 * import { asWritten, parseLocation } from "./location.ts";
 *
 * const loc = parseLocation("../data/", {});
 * console.log(asWritten(loc, "data/2024/x.csv")); // ../data/2024/x.csv
 * ```
 */
export function asWritten(loc: Location, path: string): string {
  // The argument is its root part followed by its path, as written; the
  // path as parsed differs only where `.`, `..` or `//` were resolved.
  let prefix: string;
  if (loc.display.endsWith(loc.path)) {
    prefix = loc.display.slice(0, loc.display.length - loc.path.length);
  } else {
    // A local path that was normalized: its root says where it starts.
    const root = loc.config.root ?? ".";
    prefix = root === "/" ? "/" : root === "." ? "" : `${root}/`;
  }
  if (prefix !== "" && !prefix.endsWith("/") && path !== "") prefix += "/";
  return prefix + path;
}

/** Whether two locations open the same operator (so one can rename within it). */
export function sameService(a: Location, b: Location): boolean {
  if (a.scheme !== b.scheme) return false;
  const ka = Object.keys(a.config).sort();
  const kb = Object.keys(b.config).sort();
  return ka.length === kb.length &&
    ka.every((k, i) => k === kb[i] && a.config[k] === b.config[k]);
}

/** The last segment of `path` (without a trailing `/`). */
export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** `path` as a directory: ending with `/`, or `""` for the root. */
export function asDir(path: string): string {
  return path === "" || path.endsWith("/") ? path : `${path}/`;
}

/** Whether a listed `entry` path is the listed directory `dir` itself. */
export function isSelf(entry: string, dir: string): boolean {
  return entry === dir || entry === `${dir}/` || (dir === "" && entry === "/");
}
