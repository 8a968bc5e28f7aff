/**
 * A release server on 127.0.0.1 for the loader tests. Each first path
 * segment picks a behaviour for the file named by the rest:
 * - `/good/<file>`: the real bytes;
 * - `/tampered/<file>`: the real bytes with one byte changed;
 * - `/slow/<file>`: the first request gets no answer (until the server closes
 *   and the client has long given up), later ones the real bytes;
 * - `/flaky/<file>`: the first request gets a 503, later ones the real bytes;
 * - anything else: 404.
 *
 * @module
 */

import { buildFileName } from "../../src/loader_platform.ts";

/**
 * A running release server.
 *
 * @example
 * ```ts ignore
 * const server: ReleaseServer = serveRelease({});
 * await server.close();
 * ```
 */
export interface ReleaseServer {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  /** `host:port`, as `--allow-net` names it. */
  host: string;
  /** Requests seen per path. */
  requests: Map<string, number>;
  /** Stops the server (unblocking stalled requests first). */
  close(): Promise<void>;
}

/**
 * Serves `files` (file name to bytes) as described in the module doc.
 *
 * @example
 * ```ts ignore
 * await using server = serveRelease({ "a.so": bytes });
 * ```
 */
export function serveRelease(
  files: Record<string, Uint8Array<ArrayBuffer>>,
): ReleaseServer & AsyncDisposable {
  const requests = new Map<string, number>();
  const stalled = new Set<() => void>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const path = new URL(request.url).pathname;
      const seen = (requests.get(path) ?? 0) + 1;
      requests.set(path, seen);
      const [, mode, name] = path.split("/");
      const bytes = files[name];
      if (!bytes) return new Response("no such file", { status: 404 });
      switch (mode) {
        case "good":
          return new Response(bytes);
        case "tampered": {
          const copy = bytes.slice();
          copy[copy.length >> 1] ^= 0xff;
          return new Response(copy);
        }
        case "slow":
          if (seen === 1) {
            // Held until close(): the client gives up long before.
            await new Promise<void>((resolve) => stalled.add(resolve));
            return new Response("too late", { status: 500 });
          }
          return new Response(bytes);
        case "flaky":
          return seen === 1
            ? new Response("busy", { status: 503 })
            : new Response(bytes);
        default:
          return new Response("no such release", { status: 404 });
      }
    },
  );
  const { port } = server.addr;
  const close = async () => {
    for (const resolve of stalled) resolve();
    await server.shutdown();
  };
  return {
    url: `http://127.0.0.1:${port}/`,
    host: `127.0.0.1:${port}`,
    requests,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * The library `deno task build` put in the checkout, read once.
 *
 * @example
 * ```ts ignore
 * const bytes = localBuildBytes();
 * ```
 */
export function localBuildBytes(): Uint8Array<ArrayBuffer> {
  return Deno.readFileSync(
    new URL(`../../rust/target/release/${buildFileName()}`, import.meta.url),
  );
}
