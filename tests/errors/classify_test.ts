/**
 * Permanent OS errors are classed by what they are and never as temporary,
 * so a `RetryLayer` fails them at once instead of backing off for seconds.
 * A `LoggingLayer` below the retry counts the attempts.
 */

import assert from "node:assert/strict";
import { type ErrorKind, OpendalError } from "@opendal/core";
import { FsOperator } from "@opendal/core/services/fs";
import { LoggingLayer, type LogRecord, RetryLayer } from "@opendal/core/layers";

/** An fs operator behind a retry, with a record of every failed attempt. */
async function retried() {
  const root = await Deno.makeTempDir({ prefix: "opendal-classify-" });
  const failures: LogRecord[] = [];
  const op = new FsOperator({ root })
    .layer(new LoggingLayer({ level: "warn", sink: (r) => failures.push(r) }))
    .layer(new RetryLayer({ maxTimes: 3, minDelay: 1, maxDelay: 1 }));
  await op.write("full/a.txt", "x");
  await op.write("file.txt", "x");
  return { op, failures, root };
}

async function failure(p: Promise<unknown>): Promise<OpendalError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof OpendalError, String(e));
    return e;
  }
  assert.fail("did not fail");
}

const cases: [
  string,
  (op: FsOperator) => Promise<unknown>,
  ErrorKind,
  (new (...args: never[]) => Error) | undefined,
][] = [
  [
    "read of a directory (EISDIR)",
    (op) => op.read("full"),
    "IsADirectory",
    Deno.errors.IsADirectory,
  ],
  [
    "delete of a non-empty directory (ENOTEMPTY)",
    (op) => op.delete("full/"),
    "Conflict",
    undefined,
  ],
  [
    "read through a file (ENOTDIR)",
    (op) => op.read("file.txt/x"),
    "NotADirectory",
    Deno.errors.NotADirectory,
  ],
  [
    "stat through a file (ENOTDIR)",
    (op) => op.stat("file.txt/x/"),
    "NotADirectory",
    Deno.errors.NotADirectory,
  ],
];

for (const [name, call, kind, DenoClass] of cases) {
  Deno.test(`fs ${name} is ${kind}, permanent: tried once under RetryLayer`, async () => {
    const { op, failures, root } = await retried();
    using _ = op;
    const e = await failure(call(op));
    assert.equal(e.kind, kind, e.message);
    assert.equal(e.temporary, false);
    if (DenoClass) assert.ok(e instanceof DenoClass);
    assert.equal(failures.length, 1, failures.map((f) => f.message).join("\n"));
    // The OS error is kept as the root cause.
    assert.match(String((e.cause as Error).message), /os error \d+/);
    // Nothing was lost.
    assert.equal(await Deno.readTextFile(`${root}/full/a.txt`), "x");
  });
}

Deno.test("sync calls see the same classes", async () => {
  const { op } = await retried();
  using _ = op;
  assert.throws(() => op.readSync("full"), Deno.errors.IsADirectory);
  const e = (() => {
    try {
      op.deleteSync("full/");
    } catch (e) {
      return e as OpendalError;
    }
  })();
  assert.equal(e?.kind, "Conflict");
  assert.equal(e?.temporary, false);
});
