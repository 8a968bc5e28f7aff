/**
 * Streams own what they read: `reader.readable` and `op.readable()` release
 * the native reader (and with it an fs file descriptor) at the end of the
 * data, on `cancel()`, on error and on abort, at once: no garbage
 * collection is awaited anywhere here. Handles are counted with
 * `diagnostics().handles`, descriptors in `/proc/<pid>/fd`.
 */
import assert from "node:assert/strict";
import { diagnostics, OpendalError } from "@opendal/core";
import { FsOperator } from "@opendal/core/services/fs";
import { MemoryOperator } from "@opendal/core/services/memory";
import { ChaosLayer } from "@opendal/core/layers/chaos";
import { openFiles } from "./descriptors.ts";

const ROUNDS = 500;

function pattern(size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + (i >> 8)) & 0xff;
  return out;
}

const isAbort = (e: unknown): boolean =>
  e instanceof DOMException && e.name === "AbortError";

async function fsFixture() {
  const root = await Deno.realPath(await Deno.makeTempDir());
  const op = new FsOperator({ root });
  const data = pattern(600 * 1024); // three 256 KiB chunks
  await op.write("f.bin", data);
  return {
    root,
    op,
    data,
    [Symbol.asyncDispose]: async () => {
      op.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}

/** Asserts that no reader of ours is open: no handle, no descriptor. */
function assertReleased(
  root: string,
  baseline: { handles: number; files: string[] },
  what: string,
): void {
  assert.equal(diagnostics().handles, baseline.handles, `${what}: handles`);
  const files = openFiles();
  assert.deepEqual(files.filter((f) => f.startsWith(root)), [], what);
  assert.deepEqual(files, baseline.files, `${what}: open files`);
}

Deno.test(`${ROUNDS} streams read to the end, cancelled or failed release their readers at once (fs)`, async () => {
  await using fx = await fsFixture();
  // Each part held, so the collector cannot release one during the count.
  using base = new FsOperator({ root: fx.root });
  using failing = new ChaosLayer({ errorRatio: 1 });
  using chaos = base.layer(failing);
  const baseline = {
    handles: diagnostics().handles,
    files: openFiles(),
  };

  for (let i = 0; i < ROUNDS; i++) {
    // Never closed: the stream owns the reader once it is taken.
    const reader = await fx.op.reader("f.bin");
    const bytes = await new Response(reader.readable).bytes();
    assert.equal(bytes.byteLength, fx.data.byteLength);
    assert.equal(diagnostics().handles, baseline.handles, "reader.readable");
  }
  assertReleased(fx.root, baseline, "reader.readable read to the end");

  for (let i = 0; i < ROUNDS; i++) {
    const bytes = await new Response(fx.op.readable("f.bin")).bytes();
    assert.equal(bytes.byteLength, fx.data.byteLength);
    assert.equal(diagnostics().handles, baseline.handles, "op.readable");
  }
  assertReleased(fx.root, baseline, "op.readable read to the end");

  for (let i = 0; i < ROUNDS; i++) {
    const stream = i % 2
      ? fx.op.readable("f.bin")
      : (await fx.op.reader("f.bin")).readable;
    const r = stream.getReader();
    assert.equal((await r.read()).done, false);
    await r.cancel();
    assert.equal(diagnostics().handles, baseline.handles, "cancelled");
  }
  assertReleased(fx.root, baseline, "cancelled after one chunk");

  for (let i = 0; i < ROUNDS; i++) {
    // Fails to open, or opens and then fails to read.
    const stream = i % 2
      ? fx.op.readable("missing.bin")
      : chaos.readable("f.bin");
    const err = await new Response(stream).bytes().catch((e) => e);
    assert.ok(err instanceof OpendalError, String(err));
    assert.equal(err.kind, i % 2 ? "NotFound" : "Unexpected");
    assert.equal(diagnostics().handles, baseline.handles, "failed");
  }
  assertReleased(fx.root, baseline, "failed");

  for (let i = 0; i < ROUNDS; i++) {
    const controller = new AbortController();
    const r = fx.op.readable("f.bin", { signal: controller.signal })
      .getReader();
    await r.read();
    controller.abort();
    await assert.rejects(r.read(), isAbort);
    assert.equal(diagnostics().handles, baseline.handles, "aborted");
  }
  assertReleased(fx.root, baseline, "aborted");
});

Deno.test("a stream taken from a reader outlives the reader's using scope", async () => {
  await using fx = await fsFixture();
  const baseline = diagnostics().handles;
  async function open(): Promise<ReadableStream<Uint8Array>> {
    using reader = await fx.op.reader("f.bin");
    return reader.readable;
  }
  const stream = await open();
  assert.equal(diagnostics().handles, baseline + 1, "held by the stream");
  assert.deepEqual(await new Response(stream).bytes(), fx.data);
  assert.equal(diagnostics().handles, baseline, "released at the end");
});

Deno.test("close() waits for the reader's running streams; readable closes it at the end", async () => {
  using op = new MemoryOperator();
  const data = pattern(1000);
  await op.write("f", data);
  const baseline = diagnostics().handles;

  const reader = await op.reader("f", { chunk: 100 });
  const part = reader.stream({ offset: 10, length: 500 }).getReader();
  assert.equal((await part.read()).value?.byteLength, 100);
  reader.close();
  assert.equal(diagnostics().handles, baseline + 1, "the stream still runs");
  let read = 100;
  while (true) {
    const { done, value } = await part.read();
    if (done) break;
    read += value.byteLength;
  }
  assert.equal(read, 500);
  assert.equal(diagnostics().handles, baseline, "released with the stream");
  await assert.rejects(reader.read(0, 1), Deno.errors.BadResource);

  // An unclosed reader stays open after a partial stream ends...
  const kept = await op.reader("f");
  await new Response(kept.stream({ length: 10 })).bytes();
  assert.deepEqual(await kept.read(0, 3), data.subarray(0, 3));
  // ...but `readable` takes it over: the end of the data closes it.
  await new Response(kept.readable).bytes();
  assert.equal(diagnostics().handles, baseline);
  assert.throws(() => kept.readSync(0, 1), Deno.errors.BadResource);
});

Deno.test("readable and writable are one stable stream per object", async () => {
  using op = new MemoryOperator();
  await op.write("f", "data");
  using reader = await op.reader("f");
  assert.equal(reader.readable, reader.readable);
  await using writer = await op.writer("g");
  assert.equal(writer.writable, writer.writable);
});

Deno.test("op.readable streams a range with reader options", async () => {
  using op = new MemoryOperator();
  const data = pattern(10_000);
  await op.write("f", data);
  const sizes: number[] = [];
  for await (
    const chunk of op.readable("f", { offset: 100, length: 2500, chunk: 1000 })
  ) sizes.push(chunk.byteLength);
  assert.deepEqual(sizes, [1000, 1000, 500]);
  const tail = await new Response(op.readable("f", { offset: 9990 })).bytes();
  assert.deepEqual(tail, data.subarray(9990));
  const none = await new Response(op.readable("f", { offset: 20_000 }))
    .bytes();
  assert.equal(none.byteLength, 0);
  // A condition that fails errors the stream, as reader() would fail.
  const err = await new Response(op.readable("f", { ifMatch: '"nope"' }))
    .bytes().catch((e) => e);
  assert.ok(err instanceof OpendalError, String(err));
});

Deno.test("op.writable commits on close and discards on abort", async () => {
  using op = new MemoryOperator();
  const baseline = diagnostics().handles;
  await ReadableStream.from(["a", "b", "c"]).pipeTo(op.writable("abc.txt"));
  assert.equal(await op.readText("abc.txt"), "abc");

  const w = op.writable("gone.txt").getWriter();
  await w.write("partial");
  await w.abort(new Error("changed my mind"));
  assert.equal(await op.exists("gone.txt"), false);

  // Closing an untouched stream makes an empty object, as writing "" does.
  await op.writable("empty.txt").close();
  assert.equal(await op.readText("empty.txt"), "");

  const controller = new AbortController();
  const aborted = op.writable("signal.txt", { signal: controller.signal })
    .getWriter();
  await aborted.write("partial");
  controller.abort();
  await assert.rejects(aborted.write("more"), isAbort);
  assert.equal(await op.exists("signal.txt"), false);
  assert.equal(diagnostics().handles, baseline);
});

Deno.test("stream ranges are validated as every other entry point's", async () => {
  using op = new MemoryOperator();
  await op.write("f", "0123456789");
  using reader = await op.reader("f");
  const bad: [unknown, RegExp][] = [
    [{ offset: NaN }, /offset must be a non-negative integer, got NaN/],
    [{ offset: -1 }, /offset must be a non-negative integer, got -1/],
    [{ length: 1.5 }, /length must be a non-negative integer, got 1.5/],
    [{ length: "3" }, /length must be a number, got string/],
    [{ offset: Infinity }, /offset must be a non-negative integer/],
    [null, /options must be an object/],
  ];
  for (const [options, message] of bad) {
    for (
      const open of [
        () => reader.stream(options as { offset?: number }),
        () => op.readable("f", options as { offset?: number }),
      ]
    ) {
      assert.throws(open, (e) => {
        assert.ok(e instanceof OpendalError, String(e));
        assert.equal(e.kind, "ConfigInvalid");
        assert.match(e.message, message);
        return true;
      });
    }
  }
  assert.throws(
    () => op.readable("f", { signal: "nope" as unknown as AbortSignal }),
    /signal must be an AbortSignal/,
  );
  // The valid forms still stream what they say.
  const text = await new Response(reader.stream({ offset: 2, length: 3 }))
    .text();
  assert.equal(text, "234");
});
