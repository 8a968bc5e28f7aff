/**
 * Local stand-ins for the two registries a user installs from, on
 * 127.0.0.1, speaking just enough of each protocol for Deno:
 * - npm (`NPM_CONFIG_REGISTRY`): a packument per package, and its tarballs;
 * - JSR (`JSR_URL`): `meta.json`, `<version>_meta.json` (the file manifest
 *   with sha256 checksums that Deno verifies, and the exports) and files.
 *
 * Each server counts the requests it saw per path.
 *
 * @module
 */

/** A running stand-in. */
export interface Registry extends AsyncDisposable {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  /** Requests seen per path (decoded). */
  requests: Map<string, number>;
  /** Stops the server. */
  close(): Promise<void>;
}

function serve(
  handler: (path: string) => Response | Promise<Response>,
): Registry {
  const requests = new Map<string, number>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => {
      const path = decodeURIComponent(new URL(request.url).pathname);
      requests.set(path, (requests.get(path) ?? 0) + 1);
      return handler(path);
    },
  );
  let closed: Promise<void> | undefined;
  const close = () => closed ??= server.shutdown();
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    requests,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** npm's `integrity` of `bytes`: `sha512-<base64>`. */
export async function integrity(
  bytes: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-512", bytes));
  let text = "";
  for (const b of digest) text += String.fromCharCode(b);
  return `sha512-${btoa(text)}`;
}

/** One package version for {@link serveNpm}. */
export interface NpmPackage {
  /** Its package.json. */
  manifest: { name: string; version: string; [key: string]: unknown };
  /** The tarball the registry serves. */
  tarball: Uint8Array<ArrayBuffer>;
  /** The integrity the packument claims (default: the tarball's own). */
  integrity?: string;
}

/**
 * Serves `packages` as an npm registry: `GET /<name>` is the packument,
 * `GET /<name>/-/<file>.tgz` the tarball; anything else is 404.
 */
export async function serveNpm(packages: NpmPackage[]): Promise<Registry> {
  const packuments = new Map<string, Record<string, unknown>>();
  const tarballs = new Map<string, Uint8Array<ArrayBuffer>>();
  const entries: [string, Record<string, unknown>][] = [];
  for (const p of packages) {
    const { name, version } = p.manifest;
    const file = `/${name}/-/${name.split("/").pop()}-${version}.tgz`;
    tarballs.set(file, p.tarball);
    entries.push([name, {
      ...p.manifest,
      dist: {
        tarball: file,
        integrity: p.integrity ?? await integrity(p.tarball),
      },
    }]);
  }
  const registry = serve((path) => {
    const tarball = tarballs.get(path);
    if (tarball) return new Response(tarball);
    const packument = packuments.get(path.slice(1));
    return packument
      ? Response.json(packument)
      : new Response("not found", { status: 404 });
  });
  for (const [name, version] of entries) {
    const dist = version.dist as { tarball: string };
    dist.tarball = new URL(dist.tarball.slice(1), registry.url).href;
    const packument = packuments.get(name) ??
      { name, "dist-tags": {}, versions: {} };
    (packument.versions as Record<string, unknown>)[version.version as string] =
      version;
    (packument["dist-tags"] as Record<string, string>).latest = version
      .version as string;
    packuments.set(name, packument);
  }
  return registry;
}

/** The package {@link serveJsr} serves. */
export interface JsrPackage {
  /** `@scope/name`. */
  name: string;
  version: string;
  /** deno.json's `exports`, as a map. */
  exports: Record<string, string>;
  /** Published files by path (`/mod.ts`, ...). */
  files: Map<string, Uint8Array<ArrayBuffer>>;
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Serves one package version the way JSR lays it out. */
export async function serveJsr(p: JsrPackage): Promise<Registry> {
  const [scope, name] = p.name.slice(1).split("/");
  const manifest: Record<string, { size: number; checksum: string }> = {};
  for (const [path, bytes] of p.files) {
    manifest[path] = {
      size: bytes.length,
      checksum: `sha256-${await sha256(bytes)}`,
    };
  }
  const base = `/@${scope}/${name}/`;
  return serve((path) => {
    if (path === `${base}meta.json`) {
      return Response.json({
        scope,
        name,
        latest: p.version,
        versions: { [p.version]: {} },
      });
    }
    if (path === `${base}${p.version}_meta.json`) {
      return Response.json({ manifest, exports: p.exports });
    }
    const file = path.startsWith(`${base}${p.version}/`)
      ? p.files.get(path.slice(base.length + p.version.length))
      : undefined;
    return file
      ? new Response(file)
      : new Response("not found", { status: 404 });
  });
}
