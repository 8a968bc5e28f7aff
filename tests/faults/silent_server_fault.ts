/**
 * A server that accepts connections and never answers: TimeoutLayer ends the
 * operation in bounded time with a temporary timeout error.
 */
import assert from "node:assert/strict";
import { OpendalError, Operator } from "@opendal/core";
import { S3Operator } from "@opendal/core/services/s3";
import { TimeoutLayer } from "@opendal/core/layers/timeout";
import { s3Options } from "./servers.ts";

/** Accepts TCP connections and holds them open without a byte in reply. */
class SilentServer implements AsyncDisposable {
  readonly #listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  readonly #held: Deno.Conn[] = [];
  readonly #accepting: Promise<void>;
  constructor() {
    this.#accepting = (async () => {
      try {
        for await (const conn of this.#listener) this.#held.push(conn);
      } catch {
        // The listener was closed.
      }
    })();
  }
  get port(): number {
    return this.#listener.addr.port;
  }
  /** Connections accepted so far. */
  get accepted(): number {
    return this.#held.length;
  }
  async [Symbol.asyncDispose](): Promise<void> {
    this.#listener.close();
    await this.#accepting;
    for (const conn of this.#held) conn.close();
  }
}

const TIMEOUT = 500;

/** Runs `op`, which must fail with a timeout between TIMEOUT and 4x TIMEOUT. */
async function assertTimesOut(op: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  const err = await op().then(() => undefined, (e) => e);
  const elapsed = performance.now() - started;
  assert.ok(err instanceof OpendalError, `must fail: ${err}`);
  assert.equal(err.kind, "Unexpected", err.message);
  assert.equal(err.temporary, true, err.message);
  assert.match(err.message, /timeout|timed out/i);
  assert.ok(
    elapsed >= TIMEOUT * 0.9 && elapsed < TIMEOUT * 4,
    `took ${elapsed} ms for a ${TIMEOUT} ms timeout`,
  );
}

Deno.test("silent server: stat, read and write end at TimeoutLayer's limit", async () => {
  await using server = new SilentServer();
  using op = new S3Operator(s3Options(server.port))
    .layer(new TimeoutLayer({ timeout: TIMEOUT, ioTimeout: TIMEOUT }));
  await assertTimesOut(() => op.stat("a"));
  await assertTimesOut(() => op.read("a"));
  await assertTimesOut(() => op.write("a", "x"));
  await assertTimesOut(async () => {
    for await (const _ of op.list("")) break;
  });
  assert.ok(server.accepted >= 1, "the requests reached the server");
});

Deno.test("silent server: the http service's reader times out too", async () => {
  await using server = new SilentServer();
  using op = new Operator("http", {
    endpoint: `http://127.0.0.1:${server.port}`,
  })
    .layer(new TimeoutLayer({ timeout: TIMEOUT, ioTimeout: TIMEOUT }));
  await using reader = await op.reader("a");
  await assertTimesOut(() => reader.read(0, 1024));
});

Deno.test("silent server: without TimeoutLayer a signal still ends the wait", async () => {
  await using server = new SilentServer();
  using op = new S3Operator(s3Options(server.port));
  const started = performance.now();
  const err = await op.stat("a", { signal: AbortSignal.timeout(TIMEOUT) })
    .then(() => undefined, (e) => e);
  const elapsed = performance.now() - started;
  assert.ok(err instanceof DOMException, `must abort: ${err}`);
  assert.ok(
    ["AbortError", "TimeoutError"].includes(err.name),
    `a cancellation: ${err.name}`,
  );
  assert.ok(elapsed < TIMEOUT * 4, `took ${elapsed} ms`);
});
