/**
 * Downloading the native library from a release, verifying it against a
 * pinned sha256 and caching it per version.
 *
 * The cache is shared by every process: a download goes to a unique
 * temporary file in the cache directory and is renamed into place only once
 * verified, so concurrent first loads never see a partial file. A cached file
 * is verified again before it is used.
 *
 * @module
 */

/**
 * The checksums of one release: `files` maps each release file name to its
 * sha256. `src/checksums.json` holds the one the package pins.
 *
 * @example
 * ```ts
 * import type { Release } from "./loader_download.ts";
 * const none: Release = { version: "0.1.0", files: {} };
 * console.log(Object.keys(none.files).length); // 0
 * ```
 */
export interface Release {
  /** The package version the files were built from. */
  version: string;
  /** Release file name (see `releaseFileName`) to lowercase hex sha256. */
  files: Record<string, string>;
}

/**
 * Checks that `value` (parsed JSON) is a {@link Release}; `from` names where
 * it came from in the error.
 *
 * @example
 * ```ts
 * import { parseRelease } from "./loader_download.ts";
 * const release = parseRelease({ version: "0.1.0", files: {} }, "example");
 * console.log(release.version); // 0.1.0
 * ```
 */
export function parseRelease(value: unknown, from: string): Release {
  const bad = (what: string) =>
    new TypeError(`${from} is not a checksums file: ${what}`);
  if (typeof value !== "object" || value === null) {
    throw bad("expected an object");
  }
  const { version, files } = value as Record<string, unknown>;
  if (typeof version !== "string" || version === "") {
    throw bad('"version" must be a non-empty string');
  }
  if (typeof files !== "object" || files === null || Array.isArray(files)) {
    throw bad('"files" must be an object of file name to sha256');
  }
  for (const [name, sha] of Object.entries(files)) {
    if (typeof sha !== "string" || !/^[0-9a-f]{64}$/.test(sha)) {
      throw bad(`the sha256 of ${name} must be 64 lowercase hex digits`);
    }
  }
  return { version, files: files as Record<string, string> };
}

/**
 * The lowercase hex sha256 of `bytes`.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./loader_download.ts";
 * console.log((await sha256Hex(new Uint8Array())).slice(0, 8)); // e3b0c442
 * ```
 */
export async function sha256Hex(
  bytes: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Where to fetch one library from, where to keep it and how to verify it.
 *
 * @example
 * ```ts
 * import { DEFAULTS, type DownloadOptions } from "./loader_download.ts";
 * const options: DownloadOptions = {
 *   baseUrl: "http://127.0.0.1:8000/v0.1.0/",
 *   cacheDir: "/tmp/opendal-deno/0.1.0",
 *   fileName: "libopendal_deno-linux-x86_64.so",
 *   sha256: undefined, // nothing pinned: cachedOrDownloaded refuses
 *   version: "0.1.0",
 *   ...DEFAULTS,
 * };
 * console.log(options.attempts); // 3
 * ```
 */
export interface DownloadOptions {
  /** The release's base URL; the file name is appended. */
  baseUrl: string;
  /** The per-version cache directory (created when missing). */
  cacheDir: string;
  /** The release file name, e.g. `libopendal_deno-linux-x86_64.so`. */
  fileName: string;
  /** The pinned sha256; without one nothing is downloaded. */
  sha256: string | undefined;
  /** The version, for messages. */
  version: string;
  /** The longest wait, in milliseconds, for the server to answer or send more bytes. */
  timeoutMs: number;
  /** How many times to try the download. */
  attempts: number;
  /** The wait before the second attempt; it doubles for each further one. */
  backoffMs: number;
}

/**
 * The defaults of the download's patience: 30 s without a byte from the
 * server ends an attempt; 3 attempts, 1 s then 2 s apart.
 *
 * @example
 * ```ts
 * import { DEFAULTS } from "./loader_download.ts";
 * console.log(DEFAULTS.timeoutMs); // 30000
 * ```
 */
export const DEFAULTS = {
  timeoutMs: 30_000,
  attempts: 3,
  backoffMs: 1_000,
} as const;

/** What to do instead when no verified library can be had. */
const ALTERNATIVES =
  "Instead, build the library from a checkout of the repository with `deno task build`\n" +
  "(needs Rust) and run from that checkout, or point OPENDAL_DENO_LIB at a library you\n" +
  "built (granting --allow-env=OPENDAL_DENO_LIB).";

/** The URL of `fileName` under `baseUrl` (which gets a trailing slash). */
function releaseUrl(baseUrl: string, fileName: string): string {
  return new URL(fileName, baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`)
    .href;
}

/**
 * The path of a verified library for `o`: the cached one when its sha256
 * matches, else a fresh download (verified, then atomically moved into the
 * cache). Throws a message that says what went wrong and what to do.
 *
 * @example
 * ```ts ignore
 * import { cachedOrDownloaded } from "./loader_download.ts";
 * const path = await cachedOrDownloaded({
 *   baseUrl: "http://127.0.0.1:8000/",
 *   cacheDir: "/tmp/opendal-deno/0.1.0",
 *   fileName: "libopendal_deno-linux-x86_64.so",
 *   sha256: "…",
 *   version: "0.1.0",
 *   timeoutMs: 30_000,
 *   attempts: 3,
 *   backoffMs: 1_000,
 * });
 * ```
 */
export async function cachedOrDownloaded(o: DownloadOptions): Promise<string> {
  if (!o.sha256) {
    throw new Error(
      `@opendal/core ${o.version} publishes no prebuilt native library for this platform ` +
        `(no pinned sha256 for ${o.fileName}), and no local build was found.\n` +
        ALTERNATIVES,
    );
  }
  const target = `${o.cacheDir}/${o.fileName}`;
  const url = releaseUrl(o.baseUrl, o.fileName);
  const stale = await checkCached(target, o.sha256);
  if (stale === undefined) return target;

  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await download(url, o);
  } catch (e) {
    if (stale) (e as Error).message += `\n(${stale})`;
    throw e;
  }
  const actual = await sha256Hex(bytes);
  if (actual !== o.sha256) {
    throw new Error(
      `@opendal/core refused the native library downloaded from ${url}: checksum mismatch ` +
        `(expected sha256 ${o.sha256}, got ${actual}). Nothing was cached.\n${ALTERNATIVES}`,
    );
  }
  await store(target, bytes, o.sha256);
  return target;
}

/**
 * Verifies the cached file: `undefined` when it is good to use, else why it
 * cannot be (empty when absent). A file that fails verification is removed.
 */
async function checkCached(
  target: string,
  sha256: string,
): Promise<string | undefined> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await Deno.readFile(target);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "";
    throw permissionHelp(e, "read", target, "read its cached native library") ??
      e;
  }
  const actual = await sha256Hex(bytes);
  if (actual === sha256) return undefined;
  try {
    await Deno.remove(target);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) {
      throw permissionHelp(e, "write", target, CACHE) ?? e;
    }
  }
  return `the cached ${target} had sha256 ${actual}, not the pinned ${sha256}: it was removed`;
}

/** Writes verified bytes beside `target` under a unique name, then renames. */
async function store(
  target: string,
  bytes: Uint8Array<ArrayBuffer>,
  sha256: string,
): Promise<void> {
  const dir = target.slice(0, target.lastIndexOf("/"));
  const temp = `${target}.${crypto.randomUUID()}.part`;
  try {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeFile(temp, bytes, { mode: 0o755, createNew: true });
    await Deno.rename(temp, target);
  } catch (e) {
    await Deno.remove(temp).catch(() => {});
    // Windows cannot replace a library another process has mapped: that
    // process's copy is as good as ours once it verifies.
    if (
      !(e instanceof Deno.errors.NotCapable) &&
      await checkCached(target, sha256).catch(() => "") === undefined
    ) return;
    throw permissionHelp(e, "write", dir, CACHE) ?? e;
  }
}

/** Fetches `url` with retries on timeouts, network errors and 5xx answers. */
async function download(
  url: string,
  o: DownloadOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  const failures: string[] = [];
  for (let attempt = 1;; attempt++) {
    try {
      return await fetchOnce(url, o.timeoutMs);
    } catch (e) {
      if (!(e instanceof Retryable)) {
        // A file: base URL (a local mirror) is read, not fetched.
        const where = new URL(url);
        throw (where.protocol === "file:"
          ? permissionHelp(
            e,
            "read",
            decodeURIComponent(where.pathname),
            DOWNLOAD,
          )
          : permissionHelp(e, "net", where.host, DOWNLOAD)) ?? e;
      }
      failures.push(`attempt ${attempt}: ${e.message}`);
      if (attempt >= o.attempts) break;
    }
    await new Promise((r) => setTimeout(r, o.backoffMs * 2 ** (attempt - 1)));
  }
  throw new Error(
    [
      `@opendal/core could not download its native library from ${url}:`,
      ...failures.map((f) => `  ${f}`),
      "(set OPENDAL_DENO_LIB_TIMEOUT, in milliseconds, to wait longer for a slow server)",
      ALTERNATIVES,
    ].join("\n"),
  );
}

const DOWNLOAD = "download its native library";
const CACHE = "cache its native library";

/** A failure worth another attempt. */
class Retryable extends Error {}

/** One GET; fails when the server is silent for `timeoutMs`. */
async function fetchOnce(
  url: string,
  timeoutMs: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), timeoutMs);
  };
  arm();
  try {
    const response = await fetch(url, { signal: controller.signal });
    if (!response.ok) {
      await response.body?.cancel();
      const status = `HTTP ${response.status} ${response.statusText}`.trim();
      if (response.status >= 500 || [408, 429].includes(response.status)) {
        throw new Retryable(status);
      }
      throw new Error(
        `@opendal/core could not download its native library: ${url} answered ${status}` +
          (response.status === 404 ? " (no such file in this release)" : "") +
          `.\n${ALTERNATIVES}`,
      );
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body!) {
      arm();
      chunks.push(chunk);
      size += chunk.length;
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    return bytes;
  } catch (e) {
    if (controller.signal.aborted) {
      throw new Retryable(`no data from the server for ${timeoutMs} ms`);
    }
    if (e instanceof TypeError) throw new Retryable(e.message);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** A permission error rewritten to name the flag that grants it, else `undefined`. */
function permissionHelp(
  e: unknown,
  kind: "read" | "write" | "net",
  what: string,
  reason: string,
): Error | undefined {
  if (!(e instanceof Deno.errors.NotCapable)) return undefined;
  // Deno names what it refused, which can differ from what was asked for
  // (a release download redirects to another host).
  const refused = e.message.match(/access to "([^"]+)"/)?.[1]
    ?.replace(/:(443|80)$/, "");
  const flag = `--allow-${kind}=${what}`;
  const also = refused && refused !== what && kind === "net"
    ? `${flag},${refused}`
    : flag;
  return new Deno.errors.NotCapable(
    `@opendal/core needs permission to ${reason}: run with ${also}` +
      `\n(${e.message})\n${ALTERNATIVES}`,
  );
}
