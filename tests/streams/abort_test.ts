/**
 * Cancellation with AbortSignal, as Deno's own APIs do it: an AbortError
 * DOMException, native work dropped, nothing half-written left behind.
 */
import assert from "node:assert/strict";
import { Operator } from "@opendal/core";
import { MemoryOperator } from "@opendal/core/services/memory";

function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === "AbortError";
}

/** A server that never answers, so operations against it stay in flight. */
function silentServer(): { endpoint: string; close(): Promise<void> } {
  const pending: (() => void)[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () =>
      new Promise<Response>((resolve) =>
        pending.push(() => resolve(new Response("late")))
      ),
  );
  return {
    endpoint: `http://127.0.0.1:${server.addr.port}`,
    close: async () => {
      pending.forEach((f) => f());
      await server.shutdown();
    },
  };
}

Deno.test("a signal aborted already rejects at once and starts nothing", async () => {
  using op = new MemoryOperator();
  const signal = AbortSignal.abort();
  await assert.rejects(op.write("x", "y", { signal }), isAbort);
  await assert.rejects(op.read("x", { signal }), isAbort);
  await assert.rejects(op.stat("x", { signal }), isAbort);
  assert.equal(await op.exists("x"), false, "the write never ran");
});

Deno.test("the abort reason is what the promise rejects with", async () => {
  using op = new MemoryOperator();
  const controller = new AbortController();
  const reason = new Error("stop");
  controller.abort(reason);
  await assert.rejects(
    op.stat("x", { signal: controller.signal }),
    (e) => e === reason,
  );
});

Deno.test("aborting mid-read drops the request and rejects with AbortError", async () => {
  const server = silentServer();
  try {
    using op = new Operator("http", { endpoint: server.endpoint });
    const controller = new AbortController();
    const read = op.read("slow.bin", { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const start = performance.now();
    await assert.rejects(read, isAbort);
    assert.ok(performance.now() - start < 2000, "did not wait for the server");
  } finally {
    await server.close();
  }
});

Deno.test("aborting mid-list rejects the iteration", async () => {
  const server = silentServer();
  try {
    using op = new Operator("webdav", { endpoint: server.endpoint });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(
      (async () => {
        for await (
          const _ of op.list("dir/", { signal: controller.signal })
        ) { /* none */ }
      })(),
      isAbort,
    );
  } finally {
    await server.close();
  }
});

Deno.test("aborting mid-write of a stream leaves no object behind", async () => {
  using op = new MemoryOperator();
  const controller = new AbortController();
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(c) {
      if (sent++ === 3) controller.abort();
      await new Promise((r) => setTimeout(r, 5));
      c.enqueue(new Uint8Array(1024));
    },
  });
  await assert.rejects(
    op.write("partial", stream, { signal: controller.signal }),
    isAbort,
  );
  assert.equal(await op.exists("partial"), false);
});
