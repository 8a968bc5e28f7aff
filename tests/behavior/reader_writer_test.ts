/**
 * Reader and Writer: OpenDAL's reader and writer cases (test_reader,
 * test_writer_*), plus the binding's streams and handle lifetimes.
 */

import {
  type Api,
  assert,
  assertFails,
  assertSameBytes,
  behavior,
  behaviorAsync,
  fits,
  type Gate,
  genBytes,
  newDir,
  newPath,
  pathsOf,
  randomBytes,
  sha256,
} from "./harness.ts";

const reader: Gate = (c) => c.read && c.write;
const writer: Gate = (c) => c.read && c.write && c.stat;

const concat = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
};

async function drain(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return concat(...chunks);
}

// ---------------------------------------------------------------------------
// Reader
// ---------------------------------------------------------------------------

behavior("reader", reader, async ({ api, cap }) => {
  const path = newPath();
  const content = genBytes(cap);
  await api.write(path, content);

  const r = await api.reader(path);
  try {
    assert.equal(r.raw.path, path);
    await assertSameBytes(await r.read(0), content);
  } finally {
    r.close();
  }
});

behavior("reader range reads", reader, async ({ api }) => {
  const path = newPath();
  const content = randomBytes(100_000);
  await api.write(path, content);

  const r = await api.reader(path);
  try {
    await assertSameBytes(await r.read(10, 20), content.subarray(10, 30));
    await assertSameBytes(
      await r.read(50_000),
      content.subarray(50_000),
    );
    // Random order, same reader.
    for (const [offset, length] of [[99_990, 10], [0, 1], [12_345, 54_321]]) {
      await assertSameBytes(
        await r.read(offset, length),
        content.subarray(offset, offset + length),
      );
    }
    // Past the end: what exists.
    await assertSameBytes(
      await r.read(99_990, 1000),
      content.subarray(99_990),
    );
    assert.equal((await r.read(100_000, 10)).byteLength, 0);
    assert.equal((await r.read(200_000)).byteLength, 0);
    assert.equal((await r.read(5, 0)).byteLength, 0);
  } finally {
    r.close();
  }
});

behavior("reader not exist", reader, async ({ api }) => {
  // Opening may be lazy: NotFound comes at open or at the first read.
  await assertFails(async () => {
    const r = await api.reader(newPath());
    try {
      await r.read(0);
    } finally {
      r.close();
    }
  }, "NotFound");
});

behavior("reader after close", reader, async ({ api }) => {
  const path = newPath();
  await api.write(path, "content");
  const r = await api.reader(path);
  r.close();
  r.close(); // Closing twice is fine.
  await assertFails(r.read(0), "BadResource");
});

behavior("reader with concurrent and chunk", reader, async ({ api }) => {
  const path = newPath();
  const content = randomBytes(700_000);
  await api.write(path, content);
  const r = await api.reader(path, { concurrent: 3, chunk: 64 * 1024 });
  try {
    await assertSameBytes(await r.read(0), content);
    await assertSameBytes(
      await r.read(100_001, 300_000),
      content.subarray(100_001, 400_001),
    );
  } finally {
    r.close();
  }
});

behavior(
  "reader with if match",
  (c) => reader(c) && c.readWithIfMatch && c.stat,
  async ({ api, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    await api.write(path, content);
    const etag = (await api.stat(path)).etag;
    assert.ok(etag, "etag must exist");

    await assertFails(async () => {
      const r = await api.reader(path, { ifMatch: '"invalid_etag"' });
      await r.read(0);
    }, "ConditionNotMatch");
    const r = await api.reader(path, { ifMatch: etag });
    await assertSameBytes(await r.read(0), content);
    r.close();
  },
);

behavior(
  "reader with if none match",
  (c) => reader(c) && c.readWithIfNoneMatch && c.stat,
  async ({ api, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    await api.write(path, content);
    const etag = (await api.stat(path)).etag;
    assert.ok(etag, "etag must exist");

    await assertFails(async () => {
      const r = await api.reader(path, { ifNoneMatch: etag });
      await r.read(0);
    }, "ConditionNotMatch");
    const r = await api.reader(path, { ifNoneMatch: '"invalid_etag"' });
    await assertSameBytes(await r.read(0), content);
    r.close();
  },
);

behavior(
  "reader with if modified since",
  (c) => reader(c) && c.readWithIfModifiedSince && c.stat,
  async ({ api, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    await api.write(path, content);
    const last = (await api.stat(path)).lastModified!.getTime();

    const r = await api.reader(path, {
      ifModifiedSince: new Date(last - 1000),
    });
    await assertSameBytes(await r.read(0), content);
    r.close();
    await new Promise((res) => setTimeout(res, 1000));
    await assertFails(async () => {
      const r = await api.reader(path, {
        ifModifiedSince: new Date(last + 1000),
      });
      await r.read(0);
    }, "ConditionNotMatch");
  },
);

behavior(
  "reader with if unmodified since",
  (c) => reader(c) && c.readWithIfUnmodifiedSince && c.stat,
  async ({ api, cap }) => {
    const path = newPath();
    const content = genBytes(cap);
    await api.write(path, content);
    const last = (await api.stat(path)).lastModified!.getTime();

    await assertFails(async () => {
      const r = await api.reader(path, {
        ifUnmodifiedSince: new Date(last - 1000),
      });
      await r.read(0);
    }, "ConditionNotMatch");
    await new Promise((res) => setTimeout(res, 1000));
    const r = await api.reader(path, {
      ifUnmodifiedSince: new Date(last + 1000),
    });
    await assertSameBytes(await r.read(0), content);
    r.close();
  },
);

behaviorAsync("reader readable stream", reader, async ({ op }) => {
  const path = newPath();
  const content = randomBytes(3 * 1024 * 1024 + 123);
  await op.write(path, content);
  await using r = await op.reader(path, { chunk: 256 * 1024 });
  const chunks: Uint8Array[] = [];
  for await (const chunk of r.readable) chunks.push(chunk);
  assert.ok(chunks.length > 1, "a multi-chunk stream");
  for (const chunk of chunks) assert.ok(chunk.byteLength <= 256 * 1024);
  await assertSameBytes(concat(...chunks), content);
  // One stream per reader, which owns it: drained, it released the reader.
  assert.equal(r.readable, r.readable);
  await assert.rejects(r.read(0, 1), /closed/);
});

behaviorAsync("reader stream a range", reader, async ({ op }) => {
  const path = newPath();
  const content = randomBytes(200_000);
  await op.write(path, content);
  using r = await op.reader(path, { chunk: 7000 });
  await assertSameBytes(
    await drain(r.stream({ offset: 1000, length: 150_000 })),
    content.subarray(1000, 151_000),
  );
  await assertSameBytes(
    await drain(r.stream({ offset: 199_000 })),
    content.subarray(199_000),
  );
  assert.equal((await drain(r.stream({ offset: 300_000 }))).byteLength, 0);
});

behaviorAsync(
  "reader stream a range with concurrent",
  reader,
  async ({ op }) => {
    const path = newPath();
    const content = randomBytes(1024);
    await op.write(path, content);
    using r = await op.reader(path, { chunk: 100, concurrent: 3 });
    await assertSameBytes(
      await drain(r.stream({ offset: 128, length: 512 })),
      content.subarray(128, 640),
    );
  },
);

behaviorAsync("reader byob stream", reader, async ({ op }) => {
  const path = newPath();
  const content = randomBytes(50_000);
  await op.write(path, content);
  using r = await op.reader(path);
  const byob = r.readable.getReader({ mode: "byob" });
  const out = new Uint8Array(content.byteLength);
  let filled = 0;
  let buffer = new ArrayBuffer(4096);
  while (true) {
    const { value, done } = await byob.read(new Uint8Array(buffer));
    if (done) break;
    out.set(value, filled);
    filled += value.byteLength;
    buffer = value.buffer;
  }
  assert.equal(filled, content.byteLength);
  await assertSameBytes(out, content);
});

behaviorAsync(
  "reader stream of empty file",
  (c) => reader(c) && c.writeCanEmpty,
  async ({ op }) => {
    const path = newPath();
    await op.write(path, new Uint8Array(0));
    using r = await op.reader(path);
    assert.equal((await drain(r.readable)).byteLength, 0);
  },
);

behaviorAsync("reader cancel stream early", reader, async ({ op }) => {
  const path = newPath();
  const content = randomBytes(1024 * 1024);
  await op.write(path, content);
  using r = await op.reader(path, { chunk: 64 * 1024 });
  for await (const chunk of r.stream()) {
    assert.equal(chunk.byteLength, 64 * 1024);
    break; // Cancels the stream.
  }
  // The reader is still usable after a stream of it is cancelled...
  await assertSameBytes(await r.read(0, 10), content.subarray(0, 10));
  // ...but cancelling `readable`, which owns the reader, releases it.
  for await (const _ of r.readable) break;
  await assert.rejects(r.read(0, 10), /closed/);
});

// ---------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------

behavior("writer write", writer, async ({ api }) => {
  const path = newPath();
  const a = randomBytes(5 * 1024 + 3);
  const b = randomBytes(70_000);
  const c = randomBytes(1);
  const w = await api.writer(path);
  assert.equal(w.raw.path, path);
  await w.write(a);
  await w.write(b);
  await w.write(c);
  await w.close();

  const all = concat(a, b, c);
  assert.equal((await api.stat(path)).contentLength, all.byteLength);
  await assertSameBytes(await api.read(path), all);
});

behavior("writer write with overwrite", writer, async ({ api, cap }) => {
  const path = newPath();
  await api.write(path, genBytes(cap));
  const w = await api.writer(path);
  const a = randomBytes(1000);
  const b = randomBytes(2000);
  await w.write(a);
  await w.write(b);
  await w.close();
  await assertSameBytes(await api.read(path), concat(a, b));
});

behavior(
  "writer write with concurrent",
  (c) => writer(c) && c.writeCanMulti,
  async ({ api }) => {
    const path = newPath();
    const size = 5 * 1024 * 1024;
    const a = randomBytes(size);
    const b = randomBytes(size + 7);
    const w = await api.writer(path, { chunk: size, concurrent: 4 });
    await w.write(a);
    await w.write(b);
    await w.close();
    const all = concat(a, b);
    assert.equal((await api.stat(path)).contentLength, all.byteLength);
    await assertSameBytes(await api.read(path), all);
  },
);

behavior("writer write non contiguous data", writer, async ({ api }) => {
  // Views into larger buffers, at offsets other than 0.
  const path = newPath();
  const big = randomBytes(3 * 1024 * 1024);
  const first = big.subarray(1, 1024 * 1024 + 1);
  const second = new DataView(big.buffer, 2 * 1024 * 1024 - 5, 1024 * 1024);
  const w = await api.writer(path);
  await w.write(first);
  await w.write(second);
  await w.close();
  const expected = concat(
    first,
    new Uint8Array(second.buffer, second.byteOffset, second.byteLength),
  );
  await assertSameBytes(await api.read(path), expected);
});

behavior("writer copies each chunk", writer, async ({ api }) => {
  const path = newPath();
  const chunk = new Uint8Array(1024);
  const w = await api.writer(path);
  for (let i = 0; i < 4; i++) {
    chunk.fill(i); // Reused at once: write copied it.
    await w.write(chunk);
  }
  await w.close();
  const read = await api.read(path);
  for (let i = 0; i < 4; i++) {
    assert.ok(read.subarray(i * 1024, (i + 1) * 1024).every((b) => b === i));
  }
});

behavior("writer return metadata", writer, async ({ api }) => {
  const path = newPath();
  const w = await api.writer(path);
  await w.write(randomBytes(1000));
  await w.write("text");
  const meta = await w.close();
  assert.equal(meta.mode, "file");
  assert.equal(meta.contentLength, 1004);
  const stat = await api.stat(path);
  assert.equal(stat.contentLength, meta.contentLength);
  if (meta.etag !== undefined) assert.equal(meta.etag, stat.etag);
  if (meta.version !== undefined) assert.equal(meta.version, stat.version);
});

behavior(
  "writer with no data",
  (c) => writer(c) && c.writeCanEmpty,
  async ({ api }) => {
    const path = newPath();
    const w = await api.writer(path);
    const meta = await w.close();
    assert.equal(meta.contentLength, 0);
    assert.equal((await api.stat(path)).contentLength, 0);
  },
);

/**
 * Writes 10 MiB and more in 1 MiB pieces through a writer that uploads
 * 8 MiB parts: the pieces are buffered into parts, the last one short.
 */
async function writeInPieces(api: Api, concurrent?: number): Promise<void> {
  const path = newPath();
  const piece = 1024 * 1024;
  const content = randomBytes(10 * piece + Math.floor(Math.random() * piece));
  const w = await api.writer(path, { chunk: 8 * piece, concurrent });
  for (let at = 0; at < content.byteLength; at += piece) {
    await w.write(content.subarray(at, at + piece));
  }
  await w.close();
  assert.equal((await api.stat(path)).contentLength, content.byteLength);
  await assertSameBytes(await api.read(path), content);
}

behavior(
  "writer with chunk, written in smaller pieces",
  (c) => writer(c) && c.writeCanMulti && fits(c, 11 * 1024 * 1024),
  ({ api }) => writeInPieces(api),
);

behavior(
  "writer with chunk and concurrent, written in smaller pieces",
  (c) => writer(c) && c.writeCanMulti && fits(c, 11 * 1024 * 1024),
  ({ api }) => writeInPieces(api, 4),
);

behavior("writer abort", writer, async ({ api }) => {
  const path = newPath();
  const w = await api.writer(path);
  await w.write(randomBytes(1000));
  try {
    await w.abort();
  } catch (e) {
    // The service cannot abort (fs without atomic_write_dir).
    assert.equal((e as { kind?: string }).kind, "Unsupported", String(e));
    return;
  }
  assert.equal(await api.exists(path), false, "aborted content must not exist");
});

behavior("writer abort with concurrent", writer, async ({ api, cap }) => {
  const path = newPath();
  const w = await api.writer(path, { concurrent: 2 });
  await w.write(genBytes(cap));
  try {
    await w.abort();
  } catch (e) {
    // As in "writer abort": the service cannot abort.
    assert.equal((e as { kind?: string }).kind, "Unsupported", String(e));
    return;
  }
  assert.equal(await api.exists(path), false, "aborted content must not exist");
});

behavior("writer abort keeps the old content", writer, async ({ api, cap }) => {
  const path = newPath();
  const old = genBytes(cap);
  await api.write(path, old);
  const w = await api.writer(path);
  await w.write(randomBytes(1000));
  try {
    await w.abort();
  } catch (e) {
    assert.equal((e as { kind?: string }).kind, "Unsupported", String(e));
    return;
  }
  await assertSameBytes(await api.read(path), old);
});

behavior(
  "writer content is visible only after close, where the service stages it",
  writer,
  async ({ api }) => {
    // Services that write in place (fs, sftp) get a staged file beside the
    // target, renamed over it by close().
    const path = newPath();
    const w = await api.writer(path);
    await w.write(randomBytes(1000));
    const visible = await api.exists(path);
    await w.close();
    assert.equal(visible, false, "visible before close()");
    assert.equal((await api.stat(path)).contentLength, 1000);
  },
);

behavior("writer after close", writer, async ({ api }) => {
  const path = newPath();
  const w = await api.writer(path);
  await w.write("a");
  await w.close();
  await assertFails(w.write("b"), "BadResource");
  await assertFails(w.close(), "BadResource");
  assert.equal(await api.readText(path), "a");
});

behavior(
  "writer with if not exists",
  (c) => writer(c) && c.writeWithIfNotExists,
  async ({ api, cap }) => {
    const path = newPath();
    const existing = genBytes(cap);
    await api.write(path, existing);
    // The condition fails at open, at a write or at close.
    await assertFails(async () => {
      const w = await api.writer(path, { ifNotExists: true });
      await w.write(randomBytes(100));
      await w.close();
    }, "ConditionNotMatch");
    await assertSameBytes(await api.read(path), existing);
  },
);

behavior(
  "writer with if none match",
  (c) => writer(c) && c.writeWithIfNoneMatch,
  async ({ api, cap }) => {
    const path = newPath();
    const existing = genBytes(cap);
    await api.write(path, existing);
    const etag = (await api.stat(path)).etag;
    assert.ok(etag, "etag must exist");
    await assertFails(async () => {
      const w = await api.writer(path, { ifNoneMatch: etag });
      await w.write(randomBytes(100));
      await w.close();
    }, "ConditionNotMatch");
    await assertSameBytes(await api.read(path), existing);
  },
);

behavior(
  "writer with if match",
  (c) => writer(c) && c.writeWithIfMatch,
  async ({ api, cap }) => {
    const path = newPath();
    await api.write(path, genBytes(cap));
    const stale = (await api.stat(path)).etag;
    assert.ok(stale, "etag must exist");
    const current = genBytes(cap);
    await api.write(path, current);
    await assertFails(async () => {
      const w = await api.writer(path, { ifMatch: stale });
      await w.write(randomBytes(100));
      await w.close();
    }, "ConditionNotMatch");
    await assertSameBytes(await api.read(path), current);
  },
);

behavior(
  "writer with append",
  (c) => writer(c) && c.writeCanAppend,
  async ({ api }) => {
    const path = newPath();
    const a = randomBytes(1000);
    // Appending needs an object made for appends (Azure: an append blob).
    await api.write(path, a, { append: true });
    const w = await api.writer(path, { append: true });
    const b = randomBytes(2000);
    const c = randomBytes(3);
    await w.write(b);
    await w.write(c);
    const meta = await w.close();
    const all = concat(a, b, c);
    assert.equal((await api.stat(path)).contentLength, all.byteLength);
    assert.equal(meta.contentLength, all.byteLength);
    await assertSameBytes(await api.read(path), all);
  },
);

behavior(
  "writer disposal aborts: only close() commits",
  writer,
  async ({ op, sync }) => {
    const path = newPath();
    if (sync) {
      using w = op.writerSync(path);
      w.writeSync("never committed");
    } else {
      await using w = await op.writer(path);
      await w.write("never committed");
    }
    assert.equal(await op.exists(path), false);
    // Disposing after close() is harmless and keeps what close() committed.
    {
      await using w = await op.writer(path);
      await w.write("committed by close");
      await w.close();
    }
    assert.equal(await op.readText(path), "committed by close");
  },
);

behavior(
  "writer left by an exception commits nothing",
  writer,
  async ({ op, api, sync, cap }) => {
    const dir = newDir();
    const path = `${dir}${newPath()}`;
    const existing = randomBytes(1000);
    await api.write(path, existing);
    const fail = new Error("the caller's own code failed");
    try {
      if (sync) {
        using w = op.writerSync(path);
        w.writeSync(randomBytes(1000));
        throw fail;
      } else {
        await using w = await op.writer(path);
        await w.write(randomBytes(1000));
        throw fail;
      }
    } catch (e) {
      assert.equal(e, fail, "the caller's error is the one that escapes");
    }
    await assertSameBytes(await api.read(path), existing, "old content kept");
    const fresh = `${dir}${newPath()}`;
    await assert.rejects(async () => {
      await using w = await op.writer(fresh);
      await w.write(randomBytes(1000));
      throw fail;
    });
    assert.equal(await op.exists(fresh), false, "nothing new created");
    if (cap.list) {
      // No staged file left beside the target either (fs, sftp).
      const left = pathsOf(await api.list(dir)).filter((p) => p !== dir);
      assert.deepEqual(left, [path]);
    }
  },
);

behaviorAsync(
  "writer left by an exception mid-upload commits nothing",
  (c) => writer(c) && c.writeCanMulti && fits(c, 12 * 1024 * 1024),
  async ({ op }) => {
    // Parts already uploaded when the exception comes (S3: a multipart upload).
    const path = newPath();
    const fail = new Error("the caller's own code failed");
    const err = await (async () => {
      await using w = await op.writer(path, { chunk: 5 * 1024 * 1024 });
      await w.write(randomBytes(6 * 1024 * 1024));
      await w.write(randomBytes(5 * 1024 * 1024));
      throw fail;
    })().catch((e) => e);
    assert.equal(err, fail);
    assert.equal(await op.exists(path), false);
  },
);

behaviorAsync("writer writable stream (sink)", writer, async ({ op }) => {
  const path = newPath();
  const chunks = Array.from({ length: 10 }, (_, i) => randomBytes(30_000 + i));
  const w = await op.writer(path);
  await ReadableStream.from(chunks).pipeTo(w.writable);
  await assertSameBytes(await op.read(path), concat(...chunks));
});

behaviorAsync(
  "writer writable stream with concurrent",
  (c) => writer(c) && c.writeCanMulti,
  async ({ op }) => {
    const path = newPath();
    const chunks = Array.from(
      { length: 4 },
      () => randomBytes(3 * 1024 * 1024),
    );
    const w = await op.writer(path, { chunk: 5 * 1024 * 1024, concurrent: 2 });
    await ReadableStream.from(chunks).pipeTo(w.writable);
    await assertSameBytes(await op.read(path), concat(...chunks));
  },
);

behaviorAsync("writer writable stream abort", writer, async ({ op }) => {
  const path = newPath();
  const w = await op.writer(path);
  const writable = w.writable.getWriter();
  await writable.write(randomBytes(100));
  try {
    await writable.abort(new Error("stop"));
  } catch (e) {
    assert.equal((e as { kind?: string }).kind, "Unsupported", String(e));
    return;
  }
  assert.equal(await op.exists(path), false);
});

behaviorAsync(
  "reader writer stream pipeline",
  (c) => writer(c) && fits(c, 5 * 1024 * 1024),
  async ({ op }) => {
    // A 5 MiB copy through a reader's stream into a writer's stream.
    const source = newPath();
    const target = newPath();
    const content = randomBytes(5 * 1024 * 1024);
    await op.write(source, content);
    using r = await op.reader(source, { chunk: 1024 * 1024 });
    const w = await op.writer(target);
    await r.readable.pipeTo(w.writable);
    assert.equal((await op.stat(target)).contentLength, content.byteLength);
    assert.equal(await sha256(await op.read(target)), await sha256(content));
  },
);

behaviorAsync("writer concurrent writers", writer, async ({ op }) => {
  const files = Array.from({ length: 8 }, () => ({
    path: newPath(),
    parts: [randomBytes(10_000), randomBytes(20_000)],
  }));
  await Promise.all(files.map(async (f) => {
    const w = await op.writer(f.path);
    for (const part of f.parts) await w.write(part);
    await w.close();
  }));
  for (const f of files) {
    await assertSameBytes(await op.read(f.path), concat(...f.parts));
  }
});
