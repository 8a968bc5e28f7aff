/**
 * A local HTTP server for layer tests: it serves one body for any GET, and
 * lets each test decide failures and delays while counting requests and the
 * most requests in flight at once.
 */

/** What the server does with each request. */
export interface Behaviour {
  /** Answer 503 to this many requests first. */
  failFirst?: number;
  /** Wait this long before answering, in milliseconds. */
  delayMs?: number;
}

/** A running test server and what it saw. */
export class TestServer implements AsyncDisposable {
  readonly body = new TextEncoder().encode("served by the test server");
  requests = 0;
  inFlight = 0;
  peakInFlight = 0;
  #server: Deno.HttpServer<Deno.NetAddr>;

  constructor(behaviour: Behaviour = {}) {
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      async (req) => {
        this.requests++;
        this.inFlight++;
        this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
        try {
          if (behaviour.delayMs) {
            await new Promise((r) => setTimeout(r, behaviour.delayMs));
          }
          if (this.requests <= (behaviour.failFirst ?? 0)) {
            return new Response("try again", { status: 503 });
          }
          const headers = { "content-length": String(this.body.length) };
          return new Response(req.method === "HEAD" ? null : this.body, {
            headers,
          });
        } finally {
          this.inFlight--;
        }
      },
    );
  }

  /** The base URL, for the http service's `endpoint`. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.#server.addr.port}`;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#server.shutdown();
  }
}
