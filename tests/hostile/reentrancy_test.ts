/**
 * Caller code that runs while a call's input is being read (a getter, a
 * `Proxy` trap, a subclassed view's getter) and calls the library itself
 * must not change what the outer call does: every entry point that reads a
 * caller's object (operation options, user metadata, data, operator config,
 * layer options, a `copyTo` target) is driven into a nested call here, and
 * the outer call must act on its own path and config, and the nested call
 * on its own.
 */

import assert from "node:assert/strict";
import { OpendalError, Operator } from "../../mod.ts";
import { FsOperator } from "../../services/fs.ts";
import { MemoryOperator } from "../../services/memory.ts";
import { RetryLayer } from "../../layers/retry.ts";
import { ThrottleLayer } from "../../layers/throttle.ts";

function fresh(): MemoryOperator {
  const op = new MemoryOperator();
  op.writeSync("victim", "precious");
  op.writeSync("target", "old");
  return op;
}

function intact(op: Operator): void {
  assert.equal(op.readTextSync("victim"), "precious");
}

Deno.test("an options Proxy that calls the library does not redirect a delete", async () => {
  for (const call of ["async", "sync"] as const) {
    const op = fresh();
    let ran = 0;
    const options = new Proxy({}, {
      ownKeys() {
        ran++;
        op.existsSync("victim"); // writes "victim" into the shared input
        return [];
      },
    });
    if (call === "async") await op.delete("target", options);
    else op.deleteSync("target", options);
    assert.equal(ran, 1, call);
    assert.equal(op.existsSync("target"), false, call);
    intact(op);
  }
});

Deno.test("option getters that call the library do not redirect a write", async () => {
  const op = fresh();
  const options = {
    get contentType() {
      op.statSync("victim");
      op.writeSync("other", "nested"); // a nested write of its own
      return "text/plain";
    },
  };
  await op.write("target", "new", options);
  op.writeSync("target2", "new2", options);
  assert.equal(op.readTextSync("target"), "new");
  assert.equal(op.readTextSync("target2"), "new2");
  assert.equal(op.readTextSync("other"), "nested");
  intact(op);
});

Deno.test("user metadata and dates are read before the input is encoded", async () => {
  const op = fresh();
  let ran = 0;
  class SneakyDate extends Date {
    override getTime(): number {
      ran++;
      op.existsSync("victim");
      return 0;
    }
  }
  // The built-in getTime is used: the override never runs.
  await op.stat("target", { ifModifiedSince: new SneakyDate(0) }).catch(
    () => {},
  );
  assert.equal(ran, 0);
  const userMetadata = new Proxy({ a: "b" }, {
    ownKeys(t) {
      ran++;
      op.writeSync("other", "nested");
      return Reflect.ownKeys(t);
    },
  });
  // memory keeps no user metadata, so the outer write is refused, as its
  // own (not the nested call's) and after the options were read once.
  const e = await op.write("target", "x", { userMetadata }).catch((e) => e);
  assert.ok(e instanceof OpendalError && e.kind === "Unsupported", String(e));
  assert.match(e.message, /userMetadata/);
  assert.equal(ran, 1);
  assert.equal(op.readTextSync("target"), "old");
  assert.equal(op.readTextSync("other"), "nested");
  intact(op);
});

Deno.test("a subclassed view cannot lie about its length or run code mid-call", async () => {
  const op = fresh();
  let getterRan = 0;
  class Liar extends Uint8Array {
    override get byteLength(): number {
      getterRan++;
      op.existsSync("victim");
      return 1 << 30; // far more than it holds
    }
  }
  const data = new Liar([1, 2, 3]);
  await op.write("target", data);
  op.writeSync("target2", data);
  const w = await op.writer("target3");
  await w.write(data);
  w.writeSync(data);
  await w.close();
  assert.equal(getterRan, 0, "the built-in length is used");
  assert.deepEqual([...op.readSync("target")], [1, 2, 3]);
  assert.deepEqual([...op.readSync("target2")], [1, 2, 3]);
  assert.deepEqual([...op.readSync("target3")], [1, 2, 3, 1, 2, 3]);
  // Other views, and a view with an own lying property.
  const own = new Uint8Array([4, 5]);
  Object.defineProperty(own, "byteLength", { get: () => 1e9 });
  await op.write("own", own);
  assert.deepEqual([...op.readSync("own")], [4, 5]);
  const dv = new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2);
  await op.write("dv", dv);
  assert.deepEqual([...op.readSync("dv")], [8, 7]);
  const words = new Uint16Array([0x0102]);
  await op.write("u16", words);
  assert.equal(op.readSync("u16").length, 2);
  intact(op);
});

Deno.test("a detached buffer is refused, not written as empty", async () => {
  const op = fresh();
  const data = new Uint8Array([1, 2, 3]);
  structuredClone(data.buffer, { transfer: [data.buffer] });
  for (
    const write of [
      () => op.write("target", data),
      () => op.writeSync("target", data),
    ]
  ) {
    const e = await Promise.resolve().then(write).catch((e) => e);
    assert.ok(e instanceof OpendalError, String(e));
    assert.equal(e.kind, "ConfigInvalid");
    assert.match(e.message, /detached/);
  }
  assert.equal(op.readTextSync("target"), "old");
});

Deno.test("a Proxy or an object with toString is not a path or data", async () => {
  const op = fresh();
  let ran = 0;
  const path = {
    toString() {
      ran++;
      op.existsSync("victim");
      return "target";
    },
  };
  await assert.rejects(
    op.delete(path as unknown as string),
    /path must be a string/,
  );
  assert.throws(
    () => op.deleteSync(path as unknown as string),
    /path must be a string/,
  );
  assert.equal(ran, 0, "toString never runs");
  const data = new Proxy(new Uint8Array([1]), {
    get(t, key) {
      op.existsSync("victim");
      return Reflect.get(t, key);
    },
  });
  await assert.rejects(op.write("target", data), /data must be/);
  assert.throws(() => op.writeSync("target", data), /data must be/);
  assert.equal(op.readTextSync("target"), "old");
  intact(op);
});

Deno.test("a root getter that builds another operator does not change the operator", async () => {
  const dir = await Deno.makeTempDir();
  try {
    let nested: MemoryOperator | undefined;
    const config = {
      get root() {
        nested = new MemoryOperator(); // encodes scheme "memory" meanwhile
        return dir;
      },
    };
    // Through the typed class and through the raw constructor.
    for (const op of [new FsOperator(config), new Operator("fs", config)]) {
      assert.equal(op.info().scheme, "fs");
      await op.write("f", "on disk");
      assert.equal(await Deno.readTextFile(`${dir}/f`), "on disk");
      op.close();
    }
    assert.equal(nested!.info().scheme, "memory");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("layer option getters that call the library build the right layer", async () => {
  const op = fresh();
  const retry = new RetryLayer({
    get maxTimes() {
      op.existsSync("victim");
      new MemoryOperator().close();
      return 2;
    },
  });
  const throttle = new ThrottleLayer({
    get bandwidth() {
      op.deleteSync("nonexistent");
      return 1 << 20;
    },
  });
  const layered = op.layer(retry).layer(throttle);
  assert.equal(await layered.readText("victim"), "precious");
  intact(op);
});

Deno.test("a copyTo target that runs code does not redirect the copy", async () => {
  const src = fresh();
  const dst = new MemoryOperator();
  const target = new Proxy(dst, {
    get(t, key) {
      src.existsSync("victim");
      return Reflect.get(t, key);
    },
  });
  await src.copyTo("target", target, "copied");
  assert.equal(dst.readTextSync("copied"), "old");
  assert.equal(dst.existsSync("victim"), false);
  intact(src);
});
