/**
 * Streaming and the web platform on the services that need no server:
 * BYOB reads, chunk boundaries, ranges, piping between services, writes from
 * Blobs and streams, and listing that stops when the consumer stops.
 */
import assert from "node:assert/strict";
import { diagnostics, OpendalError } from "@opendal/core";
import { FsOperator } from "@opendal/core/services/fs";
import { MemoryOperator } from "@opendal/core/services/memory";

function pattern(size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + (i >> 8)) & 0xff;
  return out;
}

async function sha256(data: Uint8Array<ArrayBuffer>): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function fsOperator(): Promise<FsOperator> {
  return new FsOperator({ root: await Deno.makeTempDir() });
}

Deno.test("BYOB reader fills the caller's buffer", async () => {
  using op = new MemoryOperator();
  const data = pattern(100_000);
  await op.write("f", data);
  await using reader = await op.reader("f");
  const byob = reader.readable.getReader({ mode: "byob" });
  const mine = new Uint8Array(4096);
  const { value, done } = await byob.read(mine);
  assert.equal(done, false);
  assert.equal(value!.byteLength, 4096);
  assert.deepEqual(value, data.subarray(0, 4096));
  // The filled view shares memory with the buffer we passed (transferred).
  assert.equal(value!.buffer.byteLength, 4096);
  byob.releaseLock();
});

Deno.test("readable streams across chunk boundaries, byte for byte", async () => {
  using op = new MemoryOperator();
  const data = pattern(3 * 1024 + 17);
  await op.write("f", data);
  await using reader = await op.reader("f", { chunk: 1024 });
  const chunks: number[] = [];
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for await (const chunk of reader.readable) {
    chunks.push(chunk.byteLength);
    parts.push(chunk);
  }
  assert.deepEqual(chunks, [1024, 1024, 1024, 17]);
  const joined = new Uint8Array(await new Blob(parts).arrayBuffer());
  assert.equal(await sha256(joined), await sha256(data));
});

Deno.test("range reads: inside, across the end, and past the end", async () => {
  using op = await fsOperator();
  const data = pattern(1000);
  await op.write("f", data);
  assert.deepEqual(
    await op.read("f", { offset: 10, length: 20 }),
    data.subarray(10, 30),
  );
  assert.deepEqual(
    await op.read("f", { offset: 990, length: 100 }),
    data.subarray(990),
  );
  assert.equal(
    (await op.read("f", { offset: 5000, length: 10 })).byteLength,
    0,
  );
  await using reader = await op.reader("f");
  assert.deepEqual(await reader.read(995, 50), data.subarray(995));
  assert.equal((await reader.read(2000, 10)).byteLength, 0);
  const tail = await new Response(reader.stream({ offset: 900, length: 500 }))
    .bytes();
  assert.deepEqual(tail, data.subarray(900));
});

Deno.test("pipeTo between two services, checksummed at both ends", async () => {
  using from = await fsOperator();
  using to = new MemoryOperator();
  const data = pattern(3 * 1024 * 1024 + 5);
  await from.write("big.bin", data);
  await using reader = await from.reader("big.bin", { chunk: 256 * 1024 });
  const writer = await to.writer("copy.bin");
  await reader.readable.pipeTo(writer.writable);
  const back = await to.read("copy.bin");
  assert.equal(await sha256(back), await sha256(data));
});

Deno.test("copyTo streams between services inside the library", async () => {
  using from = await fsOperator();
  using to = new MemoryOperator();
  const data = pattern(2 * 1024 * 1024 + 3);
  await from.write("a.bin", data);
  const meta = await from.copyTo("a.bin", to, "b.bin", {
    contentType: "application/x-test",
  });
  assert.equal(meta.contentLength, data.byteLength);
  assert.equal(await sha256(await to.read("b.bin")), await sha256(data));
  assert.equal((await to.stat("b.bin")).contentType, "application/x-test");
  const err = await from.copyTo("missing", to, "c.bin").catch((e) => e);
  assert.ok(err instanceof OpendalError && err.kind === "NotFound");
  assert.equal(await to.exists("c.bin"), false, "nothing left behind");
});

Deno.test("write takes a Blob, a ReadableStream, an ArrayBuffer and views", async () => {
  using op = new MemoryOperator();
  const data = pattern(200_000);
  await op.write(
    "blob",
    new Blob([data.subarray(0, 1000), data.subarray(1000)]),
  );
  assert.deepEqual(await op.read("blob"), data);
  const stream = ReadableStream.from([data.subarray(0, 7), data.subarray(7)]);
  const meta = await op.write("stream", stream);
  assert.equal(meta.contentLength, data.byteLength);
  assert.deepEqual(await op.read("stream"), data);
  await op.write("ab", data.buffer.slice(0, 10));
  assert.deepEqual(await op.read("ab"), data.subarray(0, 10));
  await op.write("view", new DataView(data.buffer, 5, 3));
  assert.deepEqual(await op.read("view"), data.subarray(5, 8));
});

Deno.test("a failing source stream writes nothing", async () => {
  using op = new MemoryOperator();
  const boom = new Error("source broke");
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(pattern(10));
      controller.error(boom);
    },
  });
  await assert.rejects(op.write("x", stream), (e) => e === boom);
  assert.equal(await op.exists("x"), false);
});

Deno.test("list stops fetching when the consumer stops", async () => {
  using op = await fsOperator();
  await Promise.all(
    Array.from({ length: 3000 }, (_, i) => op.write(`d/${i}`, "x")),
  );
  const baseline = diagnostics().handles;
  let seen = 0;
  for await (const _ of op.list("d/")) {
    if (++seen === 10) {
      assert.equal(diagnostics().handles, baseline + 1, "one lister open");
      break;
    }
  }
  assert.equal(seen, 10);
  assert.equal(
    diagnostics().handles,
    baseline,
    "the lister was released at the break",
  );
  const all = await Array.fromAsync(op.list("d/"));
  assert.equal(all.length, 3001);
});
