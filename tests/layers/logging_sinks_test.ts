/**
 * `LoggingLayer` sinks are the caller's code, run by the module: what they
 * throw never reaches the calls they log, a sink that calls the library
 * neither loops nor breaks the flush, and a sink is let go once its layer
 * and every operator using it are gone.
 */
import assert from "node:assert/strict";
import { MemoryOperator } from "@opendal/core/services/memory";
import { LoggingLayer, type LogRecord } from "@opendal/core/layers/logging";
import { shared } from "../../src/shared.ts";

/** Runs `fn` with `console.error` recorded instead of printed. */
async function capturingErrors(
  fn: () => Promise<void>,
): Promise<unknown[][]> {
  const reported: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => reported.push(args);
  try {
    await fn();
  } finally {
    console.error = original;
  }
  return reported;
}

Deno.test("a sink that throws is reported once and breaks no call it logs", async () => {
  for (
    const [what, sink] of [
      ["throws", () => {
        throw new Error("sink failure");
      }],
      ["rejects", () => Promise.reject(new Error("sink failure"))],
    ] as const
  ) {
    const reported = await capturingErrors(async () => {
      using op = new MemoryOperator().layer(
        new LoggingLayer({ level: "debug", sink }),
      );
      // Blocking calls inside try/catch: each returns its own result.
      op.writeSync("sync", "s");
      assert.equal(op.readTextSync("sync"), "s");
      assert.throws(() => op.statSync("missing"), Deno.errors.NotFound);
      // 41 calls in flight at once: every one settles with its own result.
      const results = await Promise.allSettled(
        Array.from({ length: 41 }, async (_, i) => {
          await op.write(`f${i}`, `${i}`);
          return await op.readText(`f${i}`);
        }),
      );
      assert.deepEqual(
        results.map((r) => r.status === "fulfilled" ? r.value : r.reason),
        Array.from({ length: 41 }, (_, i) => `${i}`),
      );
      // Let a rejected promise's handler run before counting.
      await new Promise((r) => setTimeout(r, 10));
    });
    assert.equal(reported.length, 1, `a sink that ${what}: ${reported}`);
    assert.match(String(reported[0][0]), /LoggingLayer sink threw/);
    assert.match(String(reported[0][1]), /sink failure/);
  }
});

Deno.test("a sink that calls the library gets its own lines later, without looping", async () => {
  const lines: LogRecord[] = [];
  let calls = 0;
  let done = false;
  const layer = new LoggingLayer({
    sink: (r) => {
      if (done) return; // lines still waiting when the test ends
      lines.push(r);
      // Every line logs another operation of the same operator.
      if (calls++ < 1000) op.statSync("seed");
    },
  });
  using op = new MemoryOperator().layer(layer);
  layer.close();
  op.writeSync("seed", "x");
  for (let i = 0; i < 5; i++) await op.stat("seed");
  // Each flush hands over what waited when it started, so the lines the
  // sink caused arrive at the next flush: a bounded amount per call.
  done = true;
  assert.ok(calls > 5 && calls < 200, `the sink ran ${calls} times`);
  assert.ok(lines.every((l) => /path=seed/.test(l.message)));
});

Deno.test("sinks are let go when their layers and operators are gone", async () => {
  const { sinks } = shared();
  using plain = new MemoryOperator();
  // A call flushes what earlier tests' closed operators retired.
  await plain.stat("").catch(() => {});
  const before = sinks.size;
  for (let i = 0; i < 20_000; i++) {
    new LoggingLayer({ sink: () => {} }).close();
  }
  await plain.stat("").catch(() => {});
  assert.equal(sinks.size, before, "20 000 closed layers hold no sink");

  // A layer closed while an operator uses it keeps logging through it.
  const lines: LogRecord[] = [];
  const layer = new LoggingLayer({ sink: (r) => lines.push(r) });
  const op = new MemoryOperator().layer(layer);
  layer.close();
  await op.write("a", "x");
  assert.equal(sinks.size, before + 1);
  assert.ok(lines.some((l) => /write path=a/.test(l.message)));
  op.close();
  await plain.stat("").catch(() => {});
  assert.equal(sinks.size, before, "retired once its last operator closed");
});
