/**
 * write: OpenDAL's async_write/blocking_write cases [read + write + stat],
 * plus what the binding accepts as data.
 */

import {
  assert,
  assertFails,
  assertSameBytes,
  behavior,
  behaviorAsync,
  fits,
  type Gate,
  genBytes,
  newPath,
  randomBytes,
} from "./harness.ts";
import type { Metadata } from "@opendal/core";

const gate: Gate = (c) => c.read && c.write && c.stat;

/** Every field `write` returned agrees with what `stat` reports. */
function assertMetadataAgrees(written: Metadata, stat: Metadata): void {
  assert.equal(written.mode, "file");
  assert.equal(written.contentLength, stat.contentLength);
  for (
    const key of [
      "etag",
      "version",
      "contentMd5",
      "contentType",
      "contentDisposition",
      "contentEncoding",
      "cacheControl",
    ] as const
  ) {
    if (written[key] !== undefined) {
      assert.equal(written[key], stat[key], key);
    }
  }
  if (written.lastModified !== undefined && stat.lastModified !== undefined) {
    assert.equal(written.lastModified.getTime(), stat.lastModified.getTime());
  }
}

behavior("write only", gate, async ({ api, cap }) => {
  const path = newPath();
  const content = genBytes(cap);
  await api.write(path, content);
  const meta = await api.stat(path);
  assert.equal(meta.mode, "file");
  assert.equal(meta.contentLength, content.byteLength);
  await assertSameBytes(await api.read(path), content);
});

behavior(
  "write with empty content",
  (c) => gate(c) && c.writeCanEmpty,
  async ({ api }) => {
    const path = newPath();
    await api.write(path, new Uint8Array(0));
    assert.equal((await api.stat(path)).contentLength, 0);
    const other = newPath();
    await api.write(other, "");
    assert.equal((await api.stat(other)).contentLength, 0);
  },
);

behavior("write with dir path", gate, async ({ api, cap }) => {
  const dir = `${newPath()}/`;
  await assertFails(api.write(dir, genBytes(cap)), "IsADirectory");
  // Nothing appeared, as a file or as a directory.
  assert.equal(await api.exists(dir), false);
  assert.equal(await api.exists(dir.slice(0, -1)), false);
});

behavior("write with special chars", gate, async ({ api, cap }) => {
  const path = `${newPath()} !@#$%^&()_+-=;',.txt`;
  const content = genBytes(cap);
  await api.write(path, content);
  assert.equal((await api.stat(path)).contentLength, content.byteLength);
  await assertSameBytes(await api.read(path), content);
});

behavior("write overwrite", gate, async ({ api, cap }) => {
  const path = newPath();
  await api.write(path, genBytes(cap));
  const second = randomBytes(1000);
  await api.write(path, second);
  await assertSameBytes(await api.read(path), second);
  assert.equal((await api.stat(path)).contentLength, 1000);
});

behavior("write nested path creates parents", gate, async ({ api, cap }) => {
  const path = `${newPath()}/a/b/c/${newPath()}`;
  const content = genBytes(cap);
  await api.write(path, content);
  await assertSameBytes(await api.read(path), content);
});

behavior(
  "write with cache control",
  (c) => gate(c) && c.writeWithCacheControl,
  async ({ api, cap }) => {
    const path = newPath();
    const value = "no-cache, no-store, max-age=300";
    await api.write(path, genBytes(cap), { cacheControl: value });
    assert.equal((await api.stat(path)).cacheControl, value);
  },
);

behavior(
  "write with content type",
  (c) => gate(c) && c.writeWithContentType,
  async ({ api, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    const value = "application/opendal";
    await api.write(path, content, { contentType: value });
    const meta = await api.stat(path);
    assert.equal(meta.contentType, value);
    assert.equal(meta.contentLength, content.byteLength);
  },
);

behavior(
  "write with content disposition",
  (c) => gate(c) && c.writeWithContentDisposition,
  async ({ api, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    const value = 'attachment; filename="filename.jpg"';
    await api.write(path, content, { contentDisposition: value });
    const meta = await api.stat(path);
    assert.equal(meta.contentDisposition, value);
    assert.equal(meta.contentLength, content.byteLength);
  },
);

behavior(
  "write with content encoding",
  (c) => gate(c) && c.writeWithContentEncoding,
  async ({ api, cap }) => {
    const path = newPath();
    const value = "gzip";
    await api.write(path, genBytes(cap), { contentEncoding: value });
    assert.equal((await api.stat(path)).contentEncoding, value);
  },
);

behavior(
  "write with user metadata",
  (c) => gate(c) && c.writeWithUserMetadata,
  async ({ api, cap }) => {
    const path = newPath();
    // ASCII only, as in OpenDAL's suite: HTTP services carry user metadata
    // in headers, which cannot hold other characters.
    const userMetadata = { location: "everywhere", owner: "deno" };
    await api.write(path, genBytes(cap), { userMetadata });
    assert.deepEqual((await api.stat(path)).userMetadata, userMetadata);
  },
);

behavior(
  "write with if none match",
  (c) => gate(c) && c.writeWithIfNoneMatch,
  async ({ api, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    await api.write(path, content);
    const meta = await api.stat(path);
    assert.ok(meta.etag, "etag must exist");

    await assertFails(
      api.write(path, genBytes(cap), { ifNoneMatch: meta.etag }),
      "ConditionNotMatch",
    );
    await assertSameBytes(await api.read(path), content);
  },
);

behavior(
  "write with if not exists",
  (c) => gate(c) && c.writeWithIfNotExists,
  async ({ api, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    await api.write(path, content, { ifNotExists: true });
    await assertSameBytes(await api.read(path), content);

    await assertFails(
      api.write(path, randomBytes(10), { ifNotExists: true }),
      "ConditionNotMatch",
    );
    // The existing object is untouched.
    await assertSameBytes(await api.read(path), content);
  },
);

behavior(
  "write with if match",
  (c) => gate(c) && c.writeWithIfMatch,
  async ({ api, cap }) => {
    const path = newPath();
    await api.write(path, genBytes(cap));
    const first = (await api.stat(path)).etag;
    assert.ok(first, "etag must exist");

    const second = genBytes(cap);
    await api.write(path, second, { ifMatch: first });
    const current = (await api.stat(path)).etag;
    assert.notEqual(current, first);

    // The etag is stale now.
    await assertFails(
      api.write(path, genBytes(cap), { ifMatch: first }),
      "ConditionNotMatch",
    );
    await assertSameBytes(await api.read(path), second);
  },
);

behavior("write returns metadata", gate, async ({ api, cap }) => {
  const path = newPath();
  const content = genBytes(cap);
  const written = await api.write(path, content);
  assert.equal(written.contentLength, content.byteLength);
  assertMetadataAgrees(written, await api.stat(path));
});

behavior(
  "write with append",
  (c) => gate(c) && c.writeCanAppend,
  async ({ api, cap }) => {
    const path = newPath();
    const a = genBytes(cap);
    const b = genBytes(cap);
    await api.write(path, a, { append: true });
    await api.write(path, b, { append: true });
    const both = new Uint8Array(a.byteLength + b.byteLength);
    both.set(a);
    both.set(b, a.byteLength);
    assert.equal((await api.stat(path)).contentLength, both.byteLength);
    await assertSameBytes(await api.read(path), both);
  },
);

behavior(
  "write with append returns metadata",
  (c) => gate(c) && c.writeCanAppend,
  async ({ api, cap }) => {
    const path = newPath();
    const a = genBytes(cap);
    const b = genBytes(cap);
    await api.write(path, a, { append: true });
    const written = await api.write(path, b, { append: true });
    assert.equal(written.contentLength, a.byteLength + b.byteLength);
    assertMetadataAgrees(written, await api.stat(path));
  },
);

behavior("write accepts every in-memory data type", gate, async ({ api }) => {
  const bytes = randomBytes(4096);
  const cases: [string, Parameters<typeof api.write>[1], Uint8Array][] = [
    ["Uint8Array", bytes, bytes],
    // A view that does not start at 0 of its buffer.
    ["subarray", bytes.subarray(100, 300), bytes.subarray(100, 300)],
    ["ArrayBuffer", bytes.buffer.slice(0, 512), bytes.subarray(0, 512)],
    [
      "DataView",
      new DataView(bytes.buffer, 8, 64),
      bytes.subarray(8, 72),
    ],
    [
      "Uint16Array",
      new Uint16Array(bytes.buffer, 2, 10),
      bytes.subarray(2, 22),
    ],
    [
      "Float64Array",
      new Float64Array(bytes.buffer, 16, 4),
      bytes.subarray(16, 48),
    ],
    ["string", "héllo, wörld", new TextEncoder().encode("héllo, wörld")],
  ];
  for (const [what, data, expected] of cases) {
    const path = newPath();
    const meta = await api.write(path, data);
    assert.equal(meta.contentLength, expected.byteLength, what);
    await assertSameBytes(await api.read(path), expected, what);
  }
});

behavior(
  "write large",
  (c) => gate(c) && fits(c, 4 * 1024 * 1024 + 1),
  async ({ api }) => {
    const path = newPath();
    const content = randomBytes(4 * 1024 * 1024 + 1);
    await api.write(path, content);
    assert.equal((await api.stat(path)).contentLength, content.byteLength);
    await assertSameBytes(await api.read(path), content);
  },
);

// Explicit parts need a service that takes an object in parts.
behavior(
  "write with concurrent and chunk",
  (c) => gate(c) && c.writeCanMulti,
  async ({ api }) => {
    const path = newPath();
    const content = randomBytes(2 * 1024 * 1024 + 11);
    await api.write(path, content, { concurrent: 4, chunk: 512 * 1024 });
    await assertSameBytes(await api.read(path), content);
  },
);

behaviorAsync(
  "write copies the data before returning",
  gate,
  async ({ op }) => {
    const path = newPath();
    const data = randomBytes(64 * 1024);
    const expected = data.slice();
    const pending = op.write(path, data);
    data.fill(0); // The caller may reuse its buffer at once.
    await pending;
    await assertSameBytes(await op.read(path), expected);
  },
);

behaviorAsync("write blob", gate, async ({ op }) => {
  const path = newPath();
  const a = randomBytes(300_000);
  const b = randomBytes(12_345);
  const meta = await op.write(path, new Blob([a, b, "tail"]));
  const expected = new Uint8Array(
    await new Blob([a, b, "tail"]).arrayBuffer(),
  );
  assert.equal(meta.contentLength, expected.byteLength);
  await assertSameBytes(await op.read(path), expected);
});

behaviorAsync("write readable stream (sink)", gate, async ({ op }) => {
  const path = newPath();
  const chunks = Array.from({ length: 8 }, (_, i) => randomBytes(10_000 + i));
  const stream = ReadableStream.from(chunks);
  const meta = await op.write(path, stream);
  const expected = new Uint8Array(await new Blob(chunks).arrayBuffer());
  assert.equal(meta.contentLength, expected.byteLength);
  await assertSameBytes(await op.read(path), expected);
});

behaviorAsync(
  "write readable stream that errors",
  gate,
  async ({ op }) => {
    const path = newPath();
    const boom = new Error("source failed");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(randomBytes(1000));
        controller.error(boom);
      },
    });
    await assert.rejects(op.write(path, stream), (e) => e === boom);
  },
);

behaviorAsync("write concurrently", gate, async ({ op }) => {
  const files = Array.from({ length: 16 }, (_, i) => ({
    path: `${newPath()}/${i}`,
    content: randomBytes(5000 + i * 777),
  }));
  await Promise.all(files.map((f) => op.write(f.path, f.content)));
  for (const f of files) {
    await assertSameBytes(await op.read(f.path), f.content, f.path);
  }
});

behaviorAsync("write with aborted signal", gate, async ({ op }) => {
  const path = newPath();
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    op.write(path, "data", { signal: controller.signal }),
    (e: unknown) => e instanceof DOMException && e.name === "AbortError",
  );
  assert.equal(await op.exists(path), false);
});
