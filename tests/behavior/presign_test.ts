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

// --- presign with options -------------------------------------------------

behaviorAsync(
  "presign read with response overrides",
  (c) =>
    gate(c) && c.presignRead && c.readWithOverrideContentType &&
    c.readWithOverrideContentDisposition && c.readWithOverrideCacheControl,
  async ({ op, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    await op.write(path, content);
    const req = await op.presignRead(path, 3600, {
      overrideContentType: "application/x-opendal-test",
      overrideContentDisposition: 'attachment; filename="t.bin"',
      overrideCacheControl: "no-store",
    });
    // The overrides are signed into the URL's query.
    const query = new URL(req.url).searchParams;
    assert.equal(
      query.get("response-content-type"),
      "application/x-opendal-test",
    );
    assert.equal(query.get("response-cache-control"), "no-store");
    const resp = await send(req);
    assert.ok(resp.ok, `status ${resp.status}`);
    assert.equal(
      resp.headers.get("content-type"),
      "application/x-opendal-test",
    );
    assert.equal(
      resp.headers.get("content-disposition"),
      'attachment; filename="t.bin"',
    );
    assert.equal(resp.headers.get("cache-control"), "no-store");
    await assertSameBytes(new Uint8Array(await resp.arrayBuffer()), content);
  },
);

const statOverrides = {
  overrideContentType: "application/x-opendal-test",
  overrideContentDisposition: 'attachment; filename="t.bin"',
  overrideCacheControl: "no-cache, no-store, must-revalidate",
};

const presignsStatOverrides: Gate = (c) =>
  gate(c) && c.presignStat && c.statWithOverrideContentType &&
  c.statWithOverrideContentDisposition && c.statWithOverrideCacheControl;

behaviorAsync(
  "presign stat signs response overrides",
  presignsStatOverrides,
  async ({ op }) => {
    const req = await op.presignStat(newPath(), 3600, statOverrides);
    assert.equal(req.method, "HEAD");
    const signed = [...new URL(req.url).searchParams.values()];
    for (const value of Object.values(statOverrides)) {
      assert.ok(signed.includes(value), `${value} is not in ${req.url}`);
    }
  },
);

behaviorAsync(
  "presign stat with response overrides",
  presignsStatOverrides,
  async ({ op, cap }) => {
    const path = newPath();
    await op.write(path, genBytes(cap));
    const resp = await send(await op.presignStat(path, 3600, statOverrides));
    await resp.body?.cancel();
    assert.ok(resp.ok, `status ${resp.status}`);
    assert.equal(
      resp.headers.get("content-type"),
      statOverrides.overrideContentType,
    );
    assert.equal(
      resp.headers.get("content-disposition"),
      statOverrides.overrideContentDisposition,
    );
    assert.equal(
      resp.headers.get("cache-control"),
      statOverrides.overrideCacheControl,
    );
  },
);

behaviorAsync(
  "presign read with ifMatch and ifNoneMatch",
  (c) =>
    gate(c) && c.presignRead && c.stat && c.readWithIfMatch &&
    c.readWithIfNoneMatch,
  async ({ op, cap }) => {
    const path = newPath();
    await op.write(path, genBytes(cap));
    const { etag } = await op.stat(path);
    assert.ok(etag, "the service gives an ETag");
    const stale = await send(
      await op.presignRead(path, 3600, { ifMatch: `"not-${etag.slice(1)}` }),
    );
    await stale.body?.cancel();
    assert.equal(stale.status, 412);
    const same = await send(
      await op.presignRead(path, 3600, { ifNoneMatch: etag }),
    );
    await same.body?.cancel();
    assert.equal(same.status, 304);
  },
);

behaviorAsync(
  "presign write with content type and user metadata",
  (c) =>
    gate(c) && c.presignWrite && c.stat && c.writeWithContentType &&
    c.writeWithUserMetadata,
  async ({ op, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    const req = await op.presignWrite(path, 3600, {
      contentType: "text/x-opendal-test",
      userMetadata: { owner: "deno" },
    });
    // What the upload must send comes back as headers to send.
    assert.equal(req.headers["content-type"], "text/x-opendal-test");
    const resp = await send(req, content);
    await resp.body?.cancel();
    assert.ok(resp.ok, `status ${resp.status}`);
    const meta = await op.stat(path);
    assert.equal(meta.contentType, "text/x-opendal-test");
    assert.equal(meta.userMetadata?.owner, "deno");
  },
);

behaviorAsync(
  "presign delete with ifMatch",
  (c) => gate(c) && c.presignDelete && c.stat && c.deleteWithIfMatch,
  async ({ op, cap }) => {
    const path = newPath();
    await op.write(path, genBytes(cap));
    const { etag } = await op.stat(path);
    assert.ok(etag, "the service gives an ETag");
    const stale = await send(
      await op.presignDelete(path, 3600, { ifMatch: `"not-${etag.slice(1)}` }),
    );
    await stale.body?.cancel();
    assert.equal(stale.status, 412);
    assert.equal(await op.exists(path), true);
    const resp = await send(
      await op.presignDelete(path, 3600, { ifMatch: etag }),
    );
    await resp.body?.cancel();
    assert.ok(resp.ok, `status ${resp.status}`);
    assert.equal(await op.exists(path), false);
  },
);

behaviorAsync(
  "presign options the service cannot honour are refused",
  (c) => !c.readWithOverrideContentType && !c.deleteWithVersion,
  async ({ op }) => {
    const path = newPath();
    for (
      const [call, option] of [
        [
          () => op.presignRead(path, 60, { overrideContentType: "a/b" }),
          "presignRead option overrideContentType",
        ],
        [
          () => op.presignStat(path, 60, { overrideContentType: "a/b" }),
          "presignStat option overrideContentType",
        ],
        [
          () => op.presignDelete(path, 60, { version: "1" }),
          "presignDelete option version",
        ],
      ] as const
    ) {
      const e = await assertFails(call, "Unsupported");
      assert.match(e.message, new RegExp(`the ${option} is not supported`));
    }
  },
);

behaviorAsync(
  "presign refuses another operation's options",
  () => true,
  async ({ op }) => {
    const e = await assertFails(
      // @ts-expect-error: not a presignRead option
      op.presignRead(newPath(), 60, { contentType: "a/b" }),
      "ConfigInvalid",
    );
    assert.match(
      e.message,
      /option contentType is not accepted by presignRead/,
    );
  },
);
