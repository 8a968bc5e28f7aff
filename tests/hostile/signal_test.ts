/**
 * A `signal` that is not an `AbortSignal` is refused before any work
 * starts, by every method that takes one: nothing is written or deleted,
 * and the completion pump keeps serving the calls in flight.
 */

import assert from "node:assert/strict";
import { OpendalError } from "../../mod.ts";
import { FsOperator } from "../../services/fs.ts";
import { MemoryOperator } from "../../services/memory.ts";
import { ThrottleLayer } from "../../layers/throttle.ts";

const fakes: unknown[] = [
  "nope",
  1,
  true,
  { aborted: false, addEventListener() {}, removeEventListener() {} },
  { aborted: false, addEventListener() {} }, // no removeEventListener
  new EventTarget(),
  Object.create(AbortSignal.prototype),
];

async function refused(what: string, call: () => Promise<unknown>) {
  const e = await Promise.resolve().then(call).then(
    () => undefined,
    (e) => e,
  );
  assert.ok(e instanceof OpendalError, `${what}: ${e}`);
  assert.equal(e.kind, "ConfigInvalid", what);
  assert.match(e.message, /signal must be an AbortSignal/, what);
}

Deno.test("every method refuses a signal that is not an AbortSignal, before any work", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // Throttled, so work that did start would still be pending meanwhile.
    using op = new FsOperator({ root: dir }).layer(
      new ThrottleLayer({ bandwidth: 64 * 1024 }),
    );
    using mem = new MemoryOperator();
    await op.write("keep", "kept");
    const inFlight = op.read("keep");
    for (const fake of fakes) {
      const signal = fake as AbortSignal;
      const o = { signal };
      await refused("write", () => op.write("new", "x", o));
      await refused("write stream", () => op.write("new", new Blob(["x"]), o));
      await refused("delete", () => op.delete("keep", o));
      await refused("removeAll", () => op.removeAll("keep", o));
      await refused("createDir", () => op.createDir("d/", o));
      await refused("copy", () => op.copy("keep", "copy", o));
      await refused("rename", () => op.rename("keep", "moved", o));
      await refused("copyTo", () => op.copyTo("keep", op, "copy2", o));
      await refused("stat", () => op.stat("keep", o));
      await refused("exists", () => op.exists("keep", o));
      await refused("read", () => op.read("keep", o));
      await refused("check", () => op.check(o));
      await refused("reader", () => op.reader("keep", o));
      await refused("writer", () => op.writer("new", o));
      await refused("list", () => Array.fromAsync(op.list("", o)));
      using reader = await op.reader("keep");
      await refused("reader.read", () => reader.read(0, 1, o));
      // A refused call leaves the writer open and whole.
      const writer = await mem.writer("w");
      await writer.write("a");
      await refused("writer.write", () => writer.write("x", o));
      await refused("writer.close", () => writer.close(o));
      await refused("writer.abort", () => writer.abort(o));
      await writer.write("b");
      await writer.close();
      assert.equal(await mem.readText("w"), "ab");
    }
    assert.equal(new TextDecoder().decode(await inFlight), "kept");
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assert.deepEqual(names, ["keep"], "nothing was written, moved or deleted");
    // null and undefined mean "no signal".
    await op.write("new", "x", { signal: null as unknown as AbortSignal });
    await op.delete("new", { signal: undefined });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
