/**
 * read: OpenDAL's async_read/blocking_read cases [read + write].
 */

import {
  assert,
  assertFails,
  assertSameBytes,
  behavior,
  behaviorAsync,
  type Gate,
  genBytes,
  newDir,
  newPath,
  randomBytes,
  sha256,
} from "./harness.ts";

const gate: Gate = (c) => c.read && c.write;

behavior("read full", gate, async ({ api, cap }) => {
  const path = newPath();
  const content = genBytes(cap);
  await api.write(path, content);

  const bs = await api.read(path);
  assert.ok(bs instanceof Uint8Array);
  assert.equal(bs.byteLength, content.byteLength);
  assert.equal(await sha256(bs), await sha256(content));
});

behavior("read text", gate, async ({ api }) => {
  const path = newPath();
  const text = "Hello, OpenDAL! 你好 😀\n";
  await api.write(path, text);
  assert.equal(await api.readText(path), text);
  assert.equal(
    (await api.stat(path)).contentLength,
    new TextEncoder().encode(text).byteLength,
  );
});

behavior("read range", gate, async ({ api }) => {
  const path = newPath();
  const content = randomBytes(64 * 1024 + 17);
  await api.write(path, content);

  const offset = 1234;
  const length = 40_000;
  const bs = await api.read(path, { offset, length });
  await assertSameBytes(bs, content.subarray(offset, offset + length));

  // Offset only: to the end.
  await assertSameBytes(
    await api.read(path, { offset }),
    content.subarray(offset),
  );
  // Length only: from the start.
  await assertSameBytes(
    await api.read(path, { length: 100 }),
    content.subarray(0, 100),
  );
  // The last byte, and an empty range.
  await assertSameBytes(
    await api.read(path, { offset: content.byteLength - 1, length: 1 }),
    content.subarray(content.byteLength - 1),
  );
  assert.equal((await api.read(path, { offset: 10, length: 0 })).byteLength, 0);
});

behavior("read large", gate, async ({ api }) => {
  const path = newPath();
  const content = randomBytes(3 * 1024 * 1024 + 5);
  await api.write(path, content);
  await assertSameBytes(await api.read(path), content);
});

behavior("read with concurrent and chunk", gate, async ({ api }) => {
  const path = newPath();
  const content = randomBytes(1024 * 1024 + 3);
  await api.write(path, content);
  await assertSameBytes(
    await api.read(path, { concurrent: 4, chunk: 64 * 1024 }),
    content,
  );
  await assertSameBytes(
    await api.read(path, { offset: 100, length: 500_000, chunk: 4096 }),
    content.subarray(100, 500_100),
  );
});

behavior(
  "read empty file",
  (c) => gate(c) && c.writeCanEmpty,
  async ({ api }) => {
    const path = newPath();
    await api.write(path, new Uint8Array(0));
    assert.equal((await api.read(path)).byteLength, 0);
    assert.equal(await api.readText(path), "");
  },
);

behavior("read not exist", gate, async ({ api }) => {
  const path = newPath();
  const e = await assertFails(api.read(path), "NotFound");
  assert.equal(e.operation, "read");
  assert.equal(e.path, path);
});

behavior(
  "read with dir path",
  (c) => gate(c) && c.createDir,
  async ({ api }) => {
    const path = newDir();
    await api.createDir(path);
    await assertFails(api.read(path), "IsADirectory");
  },
);

behavior("read with special chars", gate, async ({ api, cap }) => {
  const path = `${newPath()} !@#$%^&()_+-=;',.txt`;
  const content = genBytes(cap);
  await api.write(path, content);
  await assertSameBytes(await api.read(path), content);
});

behavior("read returns a fresh buffer", gate, async ({ api }) => {
  const path = newPath();
  await api.write(path, new Uint8Array([1, 2, 3]));
  const a = await api.read(path);
  const b = await api.read(path);
  a[0] = 99;
  assert.deepEqual([...b], [1, 2, 3]);
  assert.notEqual(a.buffer, b.buffer);
});

behaviorAsync("read concurrently", gate, async ({ op }) => {
  const files = await Promise.all(
    Array.from({ length: 16 }, async (_, i) => {
      const path = newPath();
      const content = randomBytes(1000 + i * 4096);
      await op.write(path, content);
      return { path, content };
    }),
  );
  const read = await Promise.all(files.map((f) => op.read(f.path)));
  for (let i = 0; i < files.length; i++) {
    await assertSameBytes(read[i], files[i].content, files[i].path);
  }
});

behaviorAsync("read with aborted signal", gate, async ({ op }) => {
  const path = newPath();
  await op.write(path, "content");
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    op.read(path, { signal: controller.signal }),
    (e: unknown) => e instanceof DOMException && e.name === "AbortError",
  );
});

behavior(
  "read with if match",
  (c) => gate(c) && c.readWithIfMatch,
  async ({ api, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    await api.write(path, content);
    const meta = await api.stat(path);
    assert.ok(meta.etag, "etag must exist");

    await assertFails(
      api.read(path, { ifMatch: '"invalid_etag"' }),
      "ConditionNotMatch",
    );
    await assertSameBytes(
      await api.read(path, { ifMatch: meta.etag }),
      content,
    );
  },
);

behavior(
  "read with if none match",
  (c) => gate(c) && c.readWithIfNoneMatch,
  async ({ api, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    await api.write(path, content);
    const meta = await api.stat(path);
    assert.ok(meta.etag, "etag must exist");

    await assertFails(
      api.read(path, { ifNoneMatch: meta.etag }),
      "ConditionNotMatch",
    );
    await assertSameBytes(
      await api.read(path, { ifNoneMatch: '"invalid_etag"' }),
      content,
    );
  },
);

behavior(
  "read with if modified since",
  (c) => gate(c) && c.readWithIfModifiedSince,
  async ({ api, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    await api.write(path, content);
    const last = (await api.stat(path)).lastModified!.getTime();

    await assertSameBytes(
      await api.read(path, { ifModifiedSince: new Date(last - 1000) }),
      content,
    );
    await new Promise((r) => setTimeout(r, 1000));
    await assertFails(
      api.read(path, { ifModifiedSince: new Date(last + 1000) }),
      "ConditionNotMatch",
    );
  },
);

behavior(
  "read with if unmodified since",
  (c) => gate(c) && c.readWithIfUnmodifiedSince,
  async ({ api, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    await api.write(path, content);
    const last = (await api.stat(path)).lastModified!.getTime();

    await assertFails(
      api.read(path, { ifUnmodifiedSince: new Date(last - 1000) }),
      "ConditionNotMatch",
    );
    await new Promise((r) => setTimeout(r, 1000));
    await assertSameBytes(
      await api.read(path, { ifUnmodifiedSince: new Date(last + 1000) }),
      content,
    );
  },
);

behavior(
  "read with version",
  (c) => gate(c) && c.readWithVersion && c.stat,
  async ({ api, cap }) => {
    const path = newPath();
    const first = genBytes(cap);
    await api.write(path, first);
    const version = (await api.stat(path)).version;
    assert.ok(version, "version must exist");

    await api.write(path, genBytes(cap));
    await assertSameBytes(await api.read(path, { version }), first);
  },
);

behavior(
  "read with not existing version",
  (c) => gate(c) && c.readWithVersion && c.stat,
  async ({ api, cap }) => {
    const other = newPath();
    await api.write(other, genBytes(cap));
    const version = (await api.stat(other)).version!;

    const path = newPath();
    await api.write(path, genBytes(cap));
    await assertFails(api.read(path, { version }), "NotFound");
  },
);

// readInto: the caller's buffer, filled with what fits.

behavior("read into a buffer", gate, async ({ api }) => {
  const path = newPath();
  const content = randomBytes(100_000);
  await api.write(path, content);

  // Larger than the content: the whole content, the rest untouched.
  const big = new Uint8Array(content.byteLength + 10).fill(7);
  assert.equal(await api.readInto(path, big), content.byteLength);
  await assertSameBytes(big.subarray(0, content.byteLength), content);
  assert.deepEqual([...big.subarray(content.byteLength)], Array(10).fill(7));

  // Smaller: what fits, from the start or from `offset`.
  const small = new Uint8Array(1000);
  assert.equal(await api.readInto(path, small), 1000);
  await assertSameBytes(small, content.subarray(0, 1000));
  assert.equal(await api.readInto(path, small, { offset: 99_500 }), 500);
  await assertSameBytes(small.subarray(0, 500), content.subarray(99_500));

  // `length` bounds the read below the buffer's size; `suffix` reads the tail.
  assert.equal(await api.readInto(path, small, { offset: 10, length: 3 }), 3);
  await assertSameBytes(small.subarray(0, 3), content.subarray(10, 13));
  assert.equal(await api.readInto(path, small, { length: 5000 }), 1000);
  await assertSameBytes(small, content.subarray(0, 1000));

  // Past the end, and an empty buffer: nothing.
  assert.equal(await api.readInto(path, small, { offset: 200_000 }), 0);
  assert.equal(await api.readInto(path, new Uint8Array(0)), 0);
});

behavior("read into a view never writes outside it", gate, async ({ api }) => {
  const path = newPath();
  const content = randomBytes(4096);
  await api.write(path, content);
  const memory = new Uint8Array(64).fill(9);
  const view = memory.subarray(16, 48);
  assert.equal(await api.readInto(path, view), 32);
  await assertSameBytes(view, content.subarray(0, 32));
  assert.deepEqual([...memory.subarray(0, 16)], Array(16).fill(9));
  assert.deepEqual([...memory.subarray(48)], Array(16).fill(9));

  const shared = new Uint8Array(new SharedArrayBuffer(8));
  assert.equal(await api.readInto(path, shared), 8);
  await assertSameBytes(shared.slice(), content.subarray(0, 8));
});

behavior(
  "read into with suffix",
  (c) => gate(c) && c.readWithSuffix,
  async ({ api }) => {
    const path = newPath();
    const content = randomBytes(5000);
    await api.write(path, content);
    const buffer = new Uint8Array(100);
    assert.equal(await api.readInto(path, buffer, { suffix: 40 }), 40);
    await assertSameBytes(buffer.subarray(0, 40), content.subarray(4960));
    await assertFails(
      api.readInto(path, buffer, { suffix: 101 }),
      "ConfigInvalid",
    );
  },
);

behavior("read into refuses a bad buffer", gate, async ({ api }) => {
  const path = newPath();
  await api.write(path, "content");
  const detached = new Uint8Array(8);
  detached.buffer.transfer();
  const bad: [string, unknown][] = [
    ["null", null],
    ["a string", "buffer"],
    ["an array", [1, 2, 3]],
    ["an ArrayBuffer", new ArrayBuffer(8)],
    ["a Uint16Array", new Uint16Array(4)],
    ["a DataView", new DataView(new ArrayBuffer(8))],
    ["a detached Uint8Array", detached],
  ];
  for (const [what, buffer] of bad) {
    const e = await assertFails(
      () => api.readInto(path, buffer as Uint8Array),
      "ConfigInvalid",
      what,
    );
    assert.match(e.message, /^buffer/, what);
  }
  await assertFails(api.readInto(newPath(), new Uint8Array(8)), "NotFound");
});

behaviorAsync(
  "read into a buffer detached while the read is in flight",
  gate,
  async ({ op, scheme }) => {
    const path = newPath();
    const content = randomBytes(3 * 1024 * 1024);
    await op.write(path, content);
    const buffer = new Uint8Array(content.byteLength);
    const read = op.readInto(path, buffer);
    const moved = buffer.buffer.transfer();
    // Finished inside the call (always on memory, by chance elsewhere): the
    // bytes were written before the transfer. Still running when the buffer
    // moved: refused at completion, never a silent 0 or a write into memory
    // the caller gave away.
    const outcome = await read.then((n) => n, (e: unknown) => e);
    if (scheme === "memory" || typeof outcome === "number") {
      assert.equal(outcome, content.byteLength);
      await assertSameBytes(new Uint8Array(moved), content);
    } else {
      const e = await assertFails(Promise.reject(outcome), "ConfigInvalid");
      assert.match(e.message, /detached/);
    }
  },
);
