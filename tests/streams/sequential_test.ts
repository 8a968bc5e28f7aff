/**
 * Sequential reads continue one open body: a stream of a large object over
 * HTTP is one ranged GET for its first chunk and one GET for the rest, not
 * a GET per chunk. Checked against a local server that serves ranges and
 * records every request, and that can break a body halfway.
 */
import assert from "node:assert/strict";
import { diagnostics } from "@opendal/core";
import { HttpOperator } from "@opendal/core/services/http";
import { ConcurrentLimitLayer } from "@opendal/core/layers/concurrent_limit";
import { RetryLayer } from "@opendal/core/layers/retry";

const SIZE = 4 * 1024 * 1024;
const CHUNK = 256 * 1024; // the streams' default chunk
const data = new Uint8Array(SIZE).map((_, i) => (i * 7 + (i >> 12)) & 0xff);

/** A server of `data` at any path, by ranges. */
class RangeServer implements AsyncDisposable {
  /** The Range header of every GET, in order ("" for none). */
  readonly ranges: string[] = [];
  /** Bodies of open-ended ranges to break after this many bytes. */
  breakOpenEnded = 0;
  #server: Deno.HttpServer<Deno.NetAddr>;

  constructor() {
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req) => this.#answer(req),
    );
  }

  #answer(req: Request): Response {
    const size = { "content-length": String(SIZE) };
    if (req.method === "HEAD") return new Response(null, { headers: size });
    const range = req.headers.get("range") ?? "";
    this.ranges.push(range);
    const m = range.match(/^bytes=(\d+)-(\d*)$/);
    if (!m) return new Response(data, { headers: size });
    const start = Number(m[1]);
    const end = m[2] ? Math.min(Number(m[2]) + 1, SIZE) : SIZE;
    if (start >= SIZE) {
      return new Response(null, {
        status: 416,
        headers: { "content-range": `bytes */${SIZE}` },
      });
    }
    const headers = {
      "content-length": String(end - start),
      "content-range": `bytes ${start}-${end - 1}/${SIZE}`,
    };
    const body = data.slice(start, end);
    if (m[2] || this.breakOpenEnded === 0) {
      return new Response(body, { status: 206, headers });
    }
    // Part of what was promised, then the connection breaks.
    const cut = this.breakOpenEnded;
    this.breakOpenEnded = 0;
    let sent = false;
    const broken = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent) return c.error(new Error("the test breaks this body"));
        sent = true;
        c.enqueue(body.subarray(0, cut));
      },
    });
    return new Response(broken, { status: 206, headers });
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.#server.addr.port}`;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#server.shutdown();
  }
}

async function collect(
  stream: ReadableStream<Uint8Array>,
): Promise<Uint8Array> {
  return await new Response(stream).bytes();
}

Deno.test("a stream reads a large object in two GETs, not one per chunk", async () => {
  await using server = new RangeServer();
  using op = new HttpOperator({ endpoint: server.endpoint });
  const baseline = diagnostics().handles;

  assert.deepEqual(await collect(op.readable("big.bin")), data);
  assert.deepEqual(server.ranges, [
    `bytes=0-${CHUNK - 1}`,
    `bytes=${CHUNK}-`,
  ]);

  server.ranges.length = 0;
  {
    using reader = await op.reader("big.bin");
    assert.deepEqual(await collect(reader.readable), data);
  }
  assert.equal(server.ranges.length, 2, server.ranges.join(", "));
  assert.equal(diagnostics().handles, baseline, "every reader released");
});

Deno.test("a body that breaks halfway costs a request, not the stream", async () => {
  await using server = new RangeServer();
  using op = new HttpOperator({ endpoint: server.endpoint });
  server.breakOpenEnded = CHUNK + 1000;

  assert.deepEqual(await collect(op.readable("big.bin")), data);
  assert.equal(server.breakOpenEnded, 0, "a body was broken");
  // The body served its first chunk and 1 000 bytes of the second: that
  // chunk was read as a range, and the next one opened a new body.
  assert.deepEqual(server.ranges, [
    `bytes=0-${CHUNK - 1}`,
    `bytes=${CHUNK}-`,
    `bytes=${2 * CHUNK}-${3 * CHUNK - 1}`,
    `bytes=${3 * CHUNK}-`,
  ]);
});

Deno.test("streams of one reader read in turns each keep their body", async () => {
  await using server = new RangeServer();
  using op = new HttpOperator({ endpoint: server.endpoint });
  using reader = await op.reader("big.bin");
  const half = SIZE / 2;
  const first = reader.stream({ length: half }).getReader();
  const second = reader.stream({ offset: half }).getReader();
  const got = [new Uint8Array(half), new Uint8Array(SIZE - half)];
  const filled = [0, 0];
  const streams = [first, second];
  for (let done = 0; done < 2;) {
    done = 0;
    for (const i of [0, 1]) {
      const { value } = await streams[i].read();
      if (!value) {
        done++;
        continue;
      }
      got[i].set(value, filled[i]);
      filled[i] += value.byteLength;
    }
  }
  assert.deepEqual(got[0], data.subarray(0, half));
  assert.deepEqual(got[1], data.subarray(half));
  // Each stream: a ranged first chunk, then one body.
  assert.equal(server.ranges.length, 4, server.ranges.join(", "));
});

Deno.test("reads at scattered offsets stay ranged reads of their own", async () => {
  await using server = new RangeServer();
  using op = new HttpOperator({ endpoint: server.endpoint });
  using reader = await op.reader("big.bin");
  for (const offset of [3 * CHUNK, 0, 9 * CHUNK, CHUNK]) {
    const got = await reader.read(offset, 1000);
    assert.deepEqual(got, data.subarray(offset, offset + 1000));
  }
  assert.ok(
    server.ranges.every((r) => /^bytes=\d+-\d+$/.test(r)),
    server.ranges.join(", "),
  );
});

Deno.test("sequential reads by hand continue one body too", async () => {
  await using server = new RangeServer();
  using op = new HttpOperator({ endpoint: server.endpoint });
  using reader = await op.reader("big.bin");
  const parts = [];
  for (let offset = 0; offset < SIZE; offset += 100_000) {
    parts.push(await reader.read(offset, 100_000));
  }
  assert.deepEqual(await new Blob(parts).bytes(), data);
  assert.deepEqual(server.ranges, ["bytes=0-99999", "bytes=100000-"]);
});

Deno.test("under a concurrent limit, an idle reader holds no permit", async () => {
  await using server = new RangeServer();
  // The limit under another layer counts too.
  using op = new HttpOperator({ endpoint: server.endpoint })
    .layer(new ConcurrentLimitLayer({ permits: 1 }))
    .layer(new RetryLayer());
  using reader = await op.reader("big.bin");
  for (let offset = 0; offset < 3 * CHUNK; offset += CHUNK) {
    assert.equal((await reader.read(offset, CHUNK)).byteLength, CHUNK);
  }
  // With a body kept open, this would wait for its permit for ever.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error("stat waited for a permit")),
      5000,
    );
  });
  try {
    const meta = await Promise.race([op.stat("big.bin"), stalled]);
    assert.equal(meta.contentLength, SIZE);
  } finally {
    clearTimeout(timer);
  }
  assert.ok(
    server.ranges.every((r) => /^bytes=\d+-\d+$/.test(r)),
    server.ranges.join(", "),
  );
});
