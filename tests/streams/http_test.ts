/**
 * A `Deno.serve` file server over an fs operator, as a user writes one:
 * downloads stream `op.readable(path)` or a reader's `readable` from inside
 * a `using` scope, uploads pipe `request.body` into `op.writable(path)`.
 * Afterwards no reader, writer or descriptor of the operator is left open,
 * and a client that hangs up mid-upload leaves no file behind.
 */
import assert from "node:assert/strict";
import { diagnostics } from "@opendal/core";
import { FsOperator } from "@opendal/core/services/fs";
import { openFiles } from "./descriptors.ts";

/** Polls `check` until it holds: the server learns of a hang-up in its own time. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(check(), what);
}

function fileServer(op: FsOperator) {
  const uploads: Promise<unknown>[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      const path = decodeURIComponent(new URL(req.url).pathname.slice(1));
      if (req.method === "PUT") {
        const stored = req.body!.pipeTo(op.writable(path));
        uploads.push(stored.catch(() => {}));
        try {
          await stored;
          return new Response(null, { status: 201 });
        } catch {
          return new Response(null, { status: 400 }); // the client hung up
        }
      }
      if (path.startsWith("using/")) {
        using reader = await op.reader(path.slice("using/".length));
        return new Response(reader.readable);
      }
      return new Response(op.readable(path));
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    uploads,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

Deno.test("a file server releases every reader, finished or hung up on", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir());
  try {
    using op = new FsOperator({ root });
    const data = new Uint8Array(2 * 1024 * 1024).map((_, i) => i & 0xff);
    await op.write("video.bin", data);
    const baseline = diagnostics().handles;
    {
      await using server = fileServer(op);
      for (let i = 0; i < 50; i++) {
        const prefix = i % 2 ? "using/" : "";
        const res = await fetch(`${server.url}/${prefix}video.bin`);
        assert.equal(res.status, 200);
        if (i % 5 === 0) {
          // Read one chunk, then hang up.
          const r = res.body!.getReader();
          await r.read();
          await r.cancel();
        } else {
          assert.equal((await res.bytes()).byteLength, data.byteLength);
        }
      }
      await eventually(
        () => diagnostics().handles === baseline,
        "every reader released",
      );
      assert.deepEqual(
        openFiles().filter((f) => f.startsWith(root)),
        [],
        "no descriptor open",
      );
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a client that disconnects mid-upload leaves no file behind", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir());
  try {
    using op = new FsOperator({ root });
    const baseline = diagnostics().handles;
    {
      await using server = fileServer(op);
      // A complete upload first: the endpoint works.
      const ok = await fetch(`${server.url}/done.bin`, {
        method: "PUT",
        body: new Uint8Array(1024),
      });
      assert.equal(ok.status, 201);

      const client = new AbortController();
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(c) {
          c.enqueue(new Uint8Array(256 * 1024));
          if (++sent === 8) {
            // 2 MiB are on their way: wait for them to land, then hang up.
            await eventually(
              () => Deno.readDirSync(root).some((e) => e.name !== "done.bin"),
              "the upload started",
            );
            client.abort();
          }
        },
      });
      await fetch(`${server.url}/partial.bin`, {
        method: "PUT",
        body,
        signal: client.signal,
        duplex: "half",
      } as RequestInit).then((r) => r.body?.cancel(), () => {});
      await eventually(() => server.uploads.length === 2, "upload seen");
      await Promise.all(server.uploads);
      await eventually(
        () => diagnostics().handles === baseline,
        "the writer released",
      );
      await eventually(
        () => diagnostics().pending === 0,
        "the abort finished",
      );
      const left = [...Deno.readDirSync(root)].map((e) => e.name);
      assert.deepEqual(left, ["done.bin"], "no partial or staged file");
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
