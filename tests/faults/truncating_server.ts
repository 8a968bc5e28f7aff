/**
 * A raw TCP HTTP server that announces a body's full Content-Length, stops
 * sending at the middle of the object and drops the connection: the exact
 * failure of a server dying mid-stream, without timing. It honours Range (a
 * 206 for the requested bytes, cut at the same middle), as resuming readers
 * expect.
 *
 * @example
 * ```ts ignore
 * await using server = new TruncatingServer(new Uint8Array(1024));
 * const op = new Operator("http", { endpoint: server.endpoint });
 * await op.read("any"); // rejects: the body stopped halfway
 * ```
 *
 * @module
 */

/**
 * Serves `body` up to its middle for every GET (HEAD gets the headers only).
 *
 * @example
 * ```ts ignore
 * await using server = new TruncatingServer(new Uint8Array(1024));
 * console.log(server.endpoint, server.requests);
 * ```
 */
export class TruncatingServer implements AsyncDisposable {
  /** Requests answered so far. */
  requests = 0;
  readonly #listener: Deno.Listener<Deno.TcpConn, Deno.NetAddr>;
  readonly #body: Uint8Array;
  readonly #conns = new Set<Promise<void>>();
  readonly #accepting: Promise<void>;

  constructor(body: Uint8Array) {
    this.#body = body;
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.#accepting = this.#accept();
  }

  /** The base URL, for the http service's `endpoint`. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.#listener.addr.port}`;
  }

  async #accept(): Promise<void> {
    try {
      for await (const conn of this.#listener) {
        const done = this.#answer(conn).finally(() => this.#conns.delete(done));
        this.#conns.add(done);
      }
    } catch {
      // The listener was closed.
    }
  }

  async #answer(conn: Deno.TcpConn): Promise<void> {
    try {
      const head = await readHead(conn);
      if (head === undefined) return;
      this.requests++;
      const size = this.#body.length;
      const range = /^range: *bytes=(\d+)-(\d*)\r$/im.exec(head);
      const start = range ? Number(range[1]) : 0;
      const end = range?.[2] ? Math.min(Number(range[2]) + 1, size) : size;
      const headers =
        (range ? "HTTP/1.1 206 Partial Content\r\n" : "HTTP/1.1 200 OK\r\n") +
        (range ? `Content-Range: bytes ${start}-${end - 1}/${size}\r\n` : "") +
        `Content-Length: ${end - start}\r\n` +
        "Content-Type: application/octet-stream\r\n" +
        "Connection: close\r\n\r\n";
      await writeAll(conn, new TextEncoder().encode(headers));
      if (!head.startsWith("HEAD ")) {
        const cut = Math.max(start, Math.min(end, size >> 1));
        await writeAll(conn, this.#body.subarray(start, cut));
      }
    } catch {
      // The client went away first.
    } finally {
      conn.close();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#listener.close();
    await this.#accepting;
    await Promise.all(this.#conns);
  }
}

/** Reads up to the blank line ending the request head. */
async function readHead(conn: Deno.Conn): Promise<string | undefined> {
  const buf = new Uint8Array(16 * 1024);
  let len = 0;
  while (len < buf.length) {
    const n = await conn.read(buf.subarray(len));
    if (n === null) return undefined;
    len += n;
    const text = new TextDecoder().decode(buf.subarray(0, len));
    if (text.includes("\r\n\r\n")) return text;
  }
  return undefined;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let off = 0; off < bytes.length;) {
    off += await conn.write(bytes.subarray(off));
  }
}
