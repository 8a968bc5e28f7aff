/**
 * Exercises the completion path the permissions give this process (the
 * library's notifier under a bare `--allow-ffi`, the queue under
 * `--allow-ffi=<library>`) and prints one JSON line of what it saw.
 * `deno run <ffi flag> completions.ts <dir> <case>`, case one of:
 *
 * - `many`: 5 000 writes, then 5 000 stats and reads, all in flight at once;
 * - `sync-inside`: sync calls (and new async ones) made in the
 *   continuations of completions, and from the microtasks they queue;
 * - `close-operators`: operators closed while their work is in flight;
 * - `abort`: reads aborted while in flight;
 * - `closed-queue`: the module's queue closed under pending work (what a
 *   bug would do): the work must fail, not hang;
 * - `workers`: Workers started and terminated with reads in flight, while
 *   this thread keeps working;
 * - `throw`, `reject`: the script fails (an uncaught error, an unhandled
 *   rejection) with reads in flight, which Deno answers by dropping the
 *   isolate, and its callbacks, before the process exits: it must exit
 *   with the error, not crash when the reads finish;
 * - `exit`: `Deno.exit(3)` with reads in flight.
 */

import { FsOperator } from "../../../services/fs.ts";
import { lib } from "../../../src/_ffi/native.ts";

const [dir, which] = Deno.args;
const fs = new FsOperator({ root: dir });
const N = 5000;

const cases: Record<string, () => Promise<unknown>> = {
  async many() {
    await Promise.all(
      Array.from({ length: N }, (_, i) => fs.write(`m/${i}`, `${i}`)),
    );
    const [stats, texts] = await Promise.all([
      Promise.all(Array.from({ length: N }, (_, i) => fs.stat(`m/${i}`))),
      Promise.all(Array.from({ length: N }, (_, i) => fs.readText(`m/${i}`))),
    ]);
    return {
      stats: stats.every((s, i) => s.contentLength === String(i).length),
      texts: texts.every((t, i) => t === String(i)),
    };
  },

  async ["sync-inside"]() {
    fs.writeSync("s", "sync");
    const results = await Promise.all(
      Array.from(
        { length: 200 },
        (_, i) =>
          fs.write(`w/${i}`, `${i}`).then(() => {
            // A sync call in the continuation of a completion...
            const text = fs.readTextSync(`w/${i}`);
            // ...and one from a microtask that continuation queues, then more
            // async work started from inside.
            return Promise.resolve().then(() => fs.statSync("s"))
              .then((s) => fs.readText(`w/${i}`).then((t) => [text, t, s]));
          }),
      ),
    );
    return {
      ok: results.every(([a, b, s], i) =>
        a === `${i}` && b === `${i}` &&
        (s as { contentLength: number }).contentLength === 4
      ),
    };
  },

  async ["close-operators"]() {
    const settled = [];
    for (let round = 0; round < 20; round++) {
      const op = new FsOperator({ root: dir });
      const work = Array.from(
        { length: 50 },
        (_, i) =>
          op.write(`c/${round}-${i}`, "x").then(() => "ok", (e) => e.name),
      );
      op.close();
      settled.push(...await Promise.all(work));
    }
    // Closed before or after each call started: settled either way.
    return { settled: settled.length, kinds: [...new Set(settled)].sort() };
  },

  async abort() {
    await fs.write("big", new Uint8Array(1 << 20));
    let aborted = 0, read = 0;
    await Promise.all(Array.from({ length: 200 }, async () => {
      const c = new AbortController();
      const p = fs.read("big", { signal: c.signal });
      c.abort();
      try {
        if ((await p).length === 1 << 20) read++;
      } catch (e) {
        if ((e as Error).name === "AbortError") aborted++;
      }
    }));
    // Every ticket came back: more reads still work.
    const again = (await fs.read("big")).length;
    return { total: aborted + read, again };
  },

  async ["closed-queue"]() {
    const n = lib();
    await fs.write("q", "x");
    const pending = Array.from({ length: 100 }, () => fs.read("q"));
    n.sym.opendal_close(n.queue);
    // Reads that finished inline succeed; the others fail with an error
    // that names the closed queue.
    const outcomes = await Promise.all(pending.map((p) =>
      p.then(
        () => "read",
        (e) => /queue/.test((e as Error).message) ? "failed" : String(e),
      )
    ));
    return { outcomes: [...new Set(outcomes)].sort() };
  },

  async workers() {
    await fs.write("big", new Uint8Array(4 << 20));
    const seen = new Set<string>();
    let mine = 0;
    for (let round = 0; round < 10; round++) {
      const worker = new Worker(
        new URL("completions_worker.ts", import.meta.url),
        { type: "module" },
      );
      const reported = new Promise<unknown>((resolve) => {
        worker.onmessage = (e) => resolve(e.data);
      });
      worker.postMessage(dir);
      // This thread works while the Worker's reads are in flight...
      const local = Promise.all(
        Array.from({ length: 50 }, () => fs.stat("big")),
      );
      seen.add(JSON.stringify(await reported));
      worker.terminate(); // ...and the Worker ends mid-read.
      mine += (await local).length;
    }
    return { workers: [...seen].map((w) => JSON.parse(w)), mine };
  },
};

if (which === "throw" || which === "reject" || which === "exit") {
  await fs.write("big", new Uint8Array(4 << 20));
  await Promise.all(Array.from({ length: 20 }, () => fs.stat("big")));
  for (let i = 0; i < 16; i++) fs.read("big");
  console.log(JSON.stringify({ path: lib().completions }));
  if (which === "exit") Deno.exit(3);
  if (which === "throw") {
    setTimeout(() => {
      throw new Error("failed on purpose");
    });
  } else Promise.reject(new Error("failed on purpose"));
  await new Promise(() => {}); // the reads keep it alive until the failure
}

const result = await cases[which]();
console.log(JSON.stringify({ path: lib().completions, ...result as object }));
