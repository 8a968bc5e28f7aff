/**
 * A Worker is an isolate of its own: it loads the same library (one handle
 * table, one runtime) but gets its own queue, and the lines of its
 * `LoggingLayer`s reach its sinks only.
 */
import assert from "node:assert/strict";
import { diagnostics, type LibraryInfo } from "@opendal/core";
import { MemoryOperator } from "@opendal/core/services/memory";
import { LoggingLayer, type LogRecord } from "@opendal/core/layers/logging";

function startWorker(): Worker {
  return new Worker(new URL("worker.ts", import.meta.url), { type: "module" });
}

function ask<T>(worker: Worker, task: string, count = 0): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      reject(new Error(e.message));
    };
    worker.postMessage({ task, count });
  });
}

Deno.test("a Worker gets its own queue and the same library", async () => {
  using _op = new MemoryOperator();
  const worker = startWorker();
  try {
    const theirs = await ask<{ library: LibraryInfo; queue: number }>(
      worker,
      "identify",
    );
    const mine = diagnostics();
    assert.deepEqual(theirs.library, mine.library, "one library instance");
    assert.notEqual(theirs.queue, mine.queue, "a queue of its own");
  } finally {
    worker.terminate();
  }
});

Deno.test("log lines reach the sink of the isolate that made the layer, every one", async () => {
  const COUNT = 150;
  const lines: LogRecord[] = [];
  using op = new MemoryOperator().layer(
    new LoggingLayer({ sink: (r) => lines.push(r) }),
  );
  const worker = startWorker();
  try {
    // Both isolates log at once through the one library.
    const [theirs] = await Promise.all([
      ask<string[]>(worker, "log", COUNT),
      (async () => {
        for (let i = 0; i < COUNT; i++) {
          await op.write(`main-${i}`, "x");
          await op.stat(`main-${i}`);
        }
      })(),
    ]);
    const mine = lines.map((l) => l.message);
    for (
      const [who, got, other] of [["main", mine, "worker"], [
        "worker",
        theirs,
        "main",
      ]]
    ) {
      assert.ok(
        (got as string[]).every((m) => !m.includes(`path=${other}-`)),
        `${who} got ${other}'s lines`,
      );
      // One "info" line per operation: the write's close, the stat's end.
      assert.equal((got as string[]).length, 2 * COUNT, `${who}'s line count`);
      for (let i = 0; i < COUNT; i++) {
        for (
          const [op, end] of [["write", "close succeeded"], [
            "stat",
            "finished",
          ]]
        ) {
          assert.equal(
            (got as string[]).filter((m) =>
              m.includes(` ${op} path=${who}-${i} `) && m.endsWith(end)
            ).length,
            1,
            `${who}: ${op} of ${who}-${i}`,
          );
        }
      }
    }
  } finally {
    worker.terminate();
  }
});
