/**
 * A writer of a service whose OpenDAL writer takes one `write` only (a
 * one-shot writer: vercel-artifacts, dropbox, ... and webdav) takes any
 * number of writes here, and sends them as one body at close. The request
 * reaches a local listener, which records it and refuses it (403).
 */
import assert from "node:assert/strict";
import { OpendalError, Operator } from "@opendal/core";

Deno.test("vercel-artifacts: a writer's chunks reach the server as one body at close", async () => {
  const seen: { method: string; path: string; body: string }[] = [];
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      seen.push({
        method: req.method,
        path: new URL(req.url).pathname,
        body: await req.text(),
      });
      return new Response("refused by the test listener", { status: 403 });
    },
  );
  using op = new Operator("vercel-artifacts", {
    endpoint: `http://127.0.0.1:${server.addr.port}`,
    accessToken: "vercel_test_token",
  });
  const w = await op.writer("probe.txt");
  await w.write("Hello, ");
  await w.write("one-shot ");
  await w.write("writer!");
  assert.deepEqual(seen, [], "nothing is sent before close");
  await assert.rejects(w.close(), (e: unknown) => {
    assert.ok(e instanceof OpendalError, String(e));
    assert.equal(e.kind, "PermissionDenied", e.message);
    return true;
  });
  assert.deepEqual(seen, [{
    method: "PUT",
    path: "/v8/artifacts/probe.txt",
    body: "Hello, one-shot writer!",
  }]);
});
