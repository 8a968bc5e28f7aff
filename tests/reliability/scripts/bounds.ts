/**
 * Numeric options far beyond what they can mean, and input OpenDAL asserts
 * on, each through the public API: `deno run bounds.ts <dir>`. Prints one
 * JSON line per attempt, `{ what, kind, message }` (kind `"ok"` when the
 * call succeeded). Before the bounds, a huge `concurrent` aborted the whole
 * process on a failed allocation, so this runs in a process of its own.
 */

import { OpendalError, Operator } from "../../../mod.ts";
import { FsOperator } from "../../../services/fs.ts";
import { ConcurrentLimitLayer } from "../../../layers/concurrent_limit.ts";
import { RetryLayer } from "../../../layers/retry.ts";
import { ThrottleLayer } from "../../../layers/throttle.ts";
import { TimeoutLayer } from "../../../layers/timeout.ts";

const op = new FsOperator({ root: Deno.args[0] });
await op.write("k", "x");

async function attempt(what: string, call: () => unknown): Promise<void> {
  let kind = "ok";
  let message = "";
  try {
    await call();
  } catch (e) {
    kind = e instanceof OpendalError ? e.kind : String(e);
    message = e instanceof Error ? e.message : "";
  }
  console.log(JSON.stringify({ what, kind, message }));
}

for (const n of [1e12, 2 ** 53, 1025]) {
  await attempt(
    `write concurrent ${n}`,
    () => op.write("k", "y", { concurrent: n }),
  );
  await attempt(
    `writeSync concurrent ${n}`,
    () => op.writeSync("k", "y", { concurrent: n }),
  );
  await attempt(
    `read concurrent ${n}`,
    () => op.read("k", { concurrent: n, chunk: 1 }),
  );
  await attempt(
    `readSync concurrent ${n}`,
    () => op.readSync("k", { concurrent: n, chunk: 1 }),
  );
  await attempt(`reader concurrent ${n}`, async () => {
    using r = await op.reader("k", { concurrent: n, chunk: 1 });
    await r.read(0);
  });
  await attempt(`writer concurrent ${n}`, async () => {
    const w = await op.writer("k", { concurrent: n });
    await w.write("abc");
    await w.close();
  });
}
await attempt(
  "read chunk 5 GiB + 1",
  () => op.read("k", { chunk: 5 * 2 ** 30 + 1 }),
);
await attempt("write chunk 2^53", () => op.write("k", "y", { chunk: 2 ** 53 }));

// Within the bounds: accepted.
await attempt(
  "write concurrent 1024 chunk 5 GiB",
  () => op.write("k", "within", { concurrent: 1024, chunk: 5 * 2 ** 30 }),
);
await attempt(
  "read concurrent 1024 chunk 1",
  () => op.read("k", { concurrent: 1024, chunk: 1 }),
);

// Layers: counts and durations far past sense build or fail cleanly.
const layers: [string, () => unknown][] = [
  ["permits 2^53", () => new ConcurrentLimitLayer({ permits: 2 ** 53 })],
  ["maxTimes 2^53", () => new RetryLayer({ maxTimes: 2 ** 53, minDelay: 0 })],
  ["minDelay 1e15", () => new RetryLayer({ minDelay: 1e15, maxDelay: 1e15 })],
  ["timeout 1e15", () => new TimeoutLayer({ timeout: 1e15, ioTimeout: 1e15 })],
  ["bandwidth 2^32", () => new ThrottleLayer({ bandwidth: 2 ** 32 })],
  ["bandwidth 2^32 - 1", () => new ThrottleLayer({ bandwidth: 2 ** 32 - 1 })],
];
for (const [what, make] of layers) {
  await attempt(what, async () => {
    using layer = make() as RetryLayer;
    // Not closed: a layered operator closes the one it was made of (`op`).
    const layered = op.layer(layer);
    await layered.read("k");
  });
}

// Input OpenDAL asserts on (a panic, caught, used to print a backtrace).
await attempt(
  "userMetadata 70 KiB",
  () => op.write("m", "x", { userMetadata: { k: "v".repeat(70_000) } }),
);
await attempt(
  "ifMatch 70 KiB",
  () => op.stat("k", { ifMatch: "e".repeat(70_000) }),
);
await attempt(
  "startAfter 70 KiB",
  () => Array.fromAsync(op.list("", { startAfter: "s".repeat(70_000) })),
);
// A config OpenDAL asserts on: the panic is caught, and stays off stderr.
await attempt("redis pool of 0", () =>
  new Operator("redis", {
    endpoint: "tcp://127.0.0.1:1",
    connection_pool_max_size: "0",
  }));
console.log(JSON.stringify({ what: "done", kind: "ok", message: "" }));
