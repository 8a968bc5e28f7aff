/**
 * Only `close()` commits a writer. On fs, where OpenDAL writes in place and
 * cannot abort, writers stage beside the target and rename on close: an
 * aborted, disposed or abandoned writer (an exception, a client that hung up
 * mid-upload, an aborted signal) leaves neither a partial target nor a
 * staged file behind.
 */
import assert from "node:assert/strict";
import { diagnostics, OpendalError, Operator } from "@opendal/core";
import { FsOperator } from "@opendal/core/services/fs";
import { MemoryOperator } from "@opendal/core/services/memory";

const STAGED = /^\..*\.opendal-partial$/;

/** Every file below `dir`, relative, sorted. */
async function filesBelow(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(`${dir}/${prefix}`)) {
    const path = `${prefix}${e.name}`;
    if (e.isDirectory) out.push(...await filesBelow(dir, `${path}/`));
    else out.push(path);
  }
  return out.sort();
}

async function fsRoot() {
  const root = await Deno.realPath(await Deno.makeTempDir());
  return {
    root,
    op: new FsOperator({ root }),
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

/** Waits until no call is in flight (a background abort has finished). */
async function settled(): Promise<void> {
  for (let i = 0; i < 200 && diagnostics().pending > 0; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal(diagnostics().pending, 0, "calls still in flight");
}

Deno.test("fs: nothing is visible at the target before close(), then it is whole", async () => {
  await using fx = await fsRoot();
  using op = fx.op;
  await op.write("dir/f.txt", "old content");
  const writer = await op.writer("dir/f.txt");
  await writer.write("new ");
  await writer.write("content");
  assert.equal(await op.readText("dir/f.txt"), "old content");
  const staged = (await filesBelow(fx.root)).filter((p) => p !== "dir/f.txt");
  assert.equal(staged.length, 1);
  assert.match(staged[0].slice(4), STAGED, "staged beside the target");
  const meta = await writer.close();
  assert.equal(meta.contentLength, 11);
  assert.equal(await op.readText("dir/f.txt"), "new content");
  assert.deepEqual(await filesBelow(fx.root), ["dir/f.txt"]);
});

Deno.test("fs: abort(), dispose and an exception keep the old content and leave no file", async () => {
  await using fx = await fsRoot();
  using op = fx.op;
  await op.write("keep.txt", "old");

  const aborted = await op.writer("keep.txt");
  await aborted.write("half of the new");
  await aborted.abort();

  {
    using w = op.writerSync("keep.txt");
    w.writeSync("disposed without close");
  }

  await assert.rejects(async () => {
    await using w = await op.writer("keep.txt");
    await w.write("half");
    throw new Error("the caller's code failed");
  }, /the caller's code failed/);

  await assert.rejects(async () => {
    await using w = await op.writer("new.txt");
    await w.write("half");
    throw new Error("again");
  }, /again/);

  assert.equal(await op.readText("keep.txt"), "old");
  assert.deepEqual(await filesBelow(fx.root), ["keep.txt"]);
});

Deno.test("fs: a writer opened and aborted without a write leaves nothing", async () => {
  await using fx = await fsRoot();
  using op = fx.op;
  await (await op.writer("a/b/never.txt")).abort();
  op.writerSync("never2.txt").abortSync();
  assert.equal(await op.exists("never.txt"), false);
  const files = await filesBelow(fx.root);
  assert.deepEqual(files, [], `left behind: ${files}`);
});

Deno.test("fs: an aborted append is cut back to the length it had at open", async () => {
  await using fx = await fsRoot();
  using op = fx.op;
  await op.write("log.txt", "line 1\n");
  const w = await op.writer("log.txt", { append: true });
  await w.write("line 2\n");
  await w.abort();
  assert.equal(await op.readText("log.txt"), "line 1\n");

  const fresh = await op.writer("new.log", { append: true });
  await fresh.write("x");
  await fresh.abort();
  assert.equal(await op.exists("new.log"), false);

  const kept = await op.writer("log.txt", { append: true });
  await kept.write("line 2\n");
  await kept.close();
  assert.equal(await op.readText("log.txt"), "line 1\nline 2\n");
  assert.deepEqual(await filesBelow(fx.root), ["log.txt"]);
});

Deno.test("fs: ifNotExists is checked at open and again at close", async () => {
  await using fx = await fsRoot();
  using op = fx.op;
  await op.write("taken.txt", "first");
  const err = await op.writer("taken.txt", { ifNotExists: true })
    .catch((e) => e);
  assert.ok(err instanceof OpendalError && err.kind === "ConditionNotMatch");

  const racing = await op.writer("race.txt", { ifNotExists: true });
  await racing.write("second");
  await op.write("race.txt", "first");
  await assert.rejects(racing.close(), (e) => {
    assert.ok(e instanceof OpendalError && e.kind === "ConditionNotMatch");
    return true;
  });
  assert.equal(await op.readText("race.txt"), "first");
  assert.deepEqual(await filesBelow(fx.root), ["race.txt", "taken.txt"]);
});

Deno.test("fs: write(path, stream) that fails midway leaves no partial file", async () => {
  await using fx = await fsRoot();
  using op = fx.op;
  let sent = 0;
  const broken = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent++ === 4) return c.error(new Error("source broke"));
      c.enqueue(new Uint8Array(256 * 1024));
    },
  });
  await assert.rejects(op.write("big.bin", broken), /source broke/);
  assert.deepEqual(await filesBelow(fx.root), []);
});

Deno.test("fs with atomicWriteDir: the same rules, nothing left in either directory", async () => {
  await using fx = await fsRoot();
  using op = new FsOperator({
    root: `${fx.root}/data`,
    atomicWriteDir: `${fx.root}/staging`,
  });
  const w = await op.writer("f.txt");
  await w.write("abandoned");
  await w.abort();
  {
    await using d = await op.writer("f.txt");
    await d.write("disposed");
  }
  const c = await op.writer("f.txt");
  await c.write("committed");
  await c.close();
  assert.equal(await op.readText("f.txt"), "committed");
  assert.deepEqual(await filesBelow(fx.root), ["data/f.txt"]);
});

Deno.test("write(path, stream, { signal }) rejects at once while the stream never yields", async () => {
  await using fx = await fsRoot();
  using op = fx.op;
  const baseline = diagnostics().handles;
  let cancelled: unknown;
  const silent = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new Uint8Array(1000));
    },
    pull: () => new Promise(() => {}), // never yields again
    cancel(reason) {
      cancelled = reason;
    },
  });
  const started = performance.now();
  const err = await op.write("stuck.bin", silent, {
    signal: AbortSignal.timeout(200),
  }).catch((e) => e);
  const waited = performance.now() - started;
  assert.ok(
    err instanceof DOMException && err.name === "TimeoutError",
    String(err),
  );
  assert.ok(waited < 2000, `rejected after ${waited} ms`);
  assert.equal(cancelled, err, "the source was cancelled with the reason");
  await settled();
  assert.deepEqual(await filesBelow(fx.root), [], "writer aborted");
  // At most: an object an earlier test dropped may be collected meanwhile.
  assert.ok(diagnostics().handles <= baseline, "the writer was released");
});

Deno.test("write(path, stream, { signal }) rejects at once while the final upload hangs", async () => {
  // A WebDAV server that takes the connection and never answers: the body
  // is sent as one PUT at close(), which waits forever.
  const pending: (() => void)[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Promise<Response>((r) => pending.push(() => r(new Response()))),
  );
  try {
    using op = new Operator("webdav", {
      endpoint: `http://127.0.0.1:${server.addr.port}`,
    });
    const started = performance.now();
    const err = await op.write(
      "upload.bin",
      ReadableStream.from([new Uint8Array(10), new Uint8Array(10)]),
      { signal: AbortSignal.timeout(200) },
    ).catch((e) => e);
    const waited = performance.now() - started;
    assert.ok(err instanceof DOMException, String(err));
    assert.ok(waited < 2000, `rejected after ${waited} ms`);
  } finally {
    pending.forEach((f) => f());
    await server.shutdown();
  }
});

Deno.test("memory: a writer left by an exception or disposed unclosed commits nothing", async () => {
  using op = new MemoryOperator();
  await assert.rejects(async () => {
    await using w = await op.writer("x");
    await w.write("partial");
    throw new Error("boom");
  }, /boom/);
  {
    using w = op.writerSync("y");
    w.writeSync("partial");
  }
  assert.equal(await op.exists("x"), false);
  assert.equal(await op.exists("y"), false);
});
