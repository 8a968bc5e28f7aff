/**
 * presign: OpenDAL's async_presign cases [read + write + presign]. Each
 * signed request is executed with `fetch` (run with `--allow-net` for these).
 * Presign has no blocking twin.
 */

import {
  assert,
  assertFails,
  assertSameBytes,
  behaviorAsync,
  type Gate,
  genBytes,
  newPath,
} from "./harness.ts";
import type { Capability } from "@opendal/core";
import type { PresignedRequest } from "@opendal/core";

const gate: Gate = (c) => c.read && c.write && c.presign;

const send = (req: PresignedRequest, body?: Uint8Array): Promise<Response> =>
  fetch(req.url, {
    method: req.method,
    headers: req.headers,
    body: body as Uint8Array<ArrayBuffer> | undefined,
  });

behaviorAsync(
  "presign write",
  (c) => gate(c) && c.presignWrite && c.stat,
  async ({ op, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    const req = await op.presignWrite(path, 3600);
    assert.equal(typeof req.url, "string");
    const resp = await send(req, content);
    await resp.body?.cancel();
    assert.ok(resp.ok, `status ${resp.status}`);
    assert.equal((await op.stat(path)).contentLength, content.byteLength);
  },
);

behaviorAsync(
  "presign read",
  (c) => gate(c) && c.presignRead,
  async ({ op, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    await op.write(path, content);
    const req = await op.presignRead(path, 3600);
    const resp = await send(req);
    assert.ok(resp.ok, `status ${resp.status}`);
    await assertSameBytes(new Uint8Array(await resp.arrayBuffer()), content);
  },
);

behaviorAsync(
  "presign stat",
  (c) => gate(c) && c.presignStat,
  async ({ op, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    await op.write(path, content);
    const req = await op.presignStat(path, 3600);
    assert.equal(req.method, "HEAD");
    const resp = await send(req);
    await resp.body?.cancel();
    assert.ok(resp.ok, `status ${resp.status}`);
    assert.equal(
      Number(resp.headers.get("content-length")),
      content.byteLength,
    );
  },
);

behaviorAsync(
  "presign delete",
  (c) => gate(c) && c.presignDelete,
  async ({ op, cap }) => {
    const path = newPath();
    await op.write(path, genBytes(cap));
    const req = await op.presignDelete(path, 3600);
    const resp = await send(req);
    await resp.body?.cancel();
    assert.ok(resp.ok, `status ${resp.status}`);
    assert.equal(await op.exists(path), false);
  },
);

// fs and memory cannot sign requests at all. (Azblob reports presign as
// unsupported without an account key, yet signs with one, so only services
// that truly cannot sign are held to Unsupported.)
const cannotSign = (c: Capability, scheme?: string) =>
  !c.presign && (scheme === "fs" || scheme === "memory");

behaviorAsync("presign unsupported", cannotSign, async ({ op }) => {
  const path = newPath();
  for (
    const call of [
      () => op.presignRead(path, 60),
      () => op.presignWrite(path, 60),
      () => op.presignStat(path, 60),
      () => op.presignDelete(path, 60),
    ]
  ) {
    const e = await assertFails(call, "Unsupported");
    assert.ok(e instanceof Deno.errors.NotSupported);
  }
  assert.equal(await op.exists(path), false);
});

behaviorAsync("presign with a bad expiry", () => true, async ({ op }) => {
  for (const seconds of [0, -1, NaN, 1.5, 1e12]) {
    await assertFails(op.presignRead(newPath(), seconds), "ConfigInvalid");
  }
});
