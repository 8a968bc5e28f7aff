/**
 * Redis and PostgreSQL crashing and coming back: operations fail with a
 * clear error while the server is down, and the same operator (its
 * connection pool) works again once it is back.
 */
import assert from "node:assert/strict";
import { OpendalError, type Operator } from "@opendal/core";
import { PostgresqlOperator } from "@opendal/core/services/postgresql";
import { RedisOperator } from "@opendal/core/services/redis";
import { LoggingLayer } from "@opendal/core/layers/logging";
import { RetryLayer } from "@opendal/core/layers/retry";
import { TimeoutLayer } from "@opendal/core/layers/timeout";
import { pseudoRandom, sha256 } from "./data.ts";
import {
  type ManagedServer,
  PG_TABLE,
  pgUrl,
  startPostgres,
  startRedis,
} from "./servers.ts";

interface Case {
  name: string;
  start(): Promise<ManagedServer>;
  operator(port: number): Operator;
  /** How to crash it (PostgreSQL: immediate shutdown, see servers.ts). */
  crash: Deno.Signal;
  /** Whether OpenDAL marks the service's connection errors temporary. */
  temporary: boolean;
  /** What the error says while the server is down. */
  downMessage: RegExp;
  /** How long OpenDAL takes to give up on a dead server, with margin (ms). */
  downWithin: number;
}

const cases: Case[] = [
  {
    name: "redis",
    start: startRedis,
    operator: (port) =>
      new RedisOperator({ endpoint: `tcp://127.0.0.1:${port}` }),
    crash: "SIGKILL",
    temporary: true,
    // The redis service reconnects for a while before it reports (~8 s).
    downMessage: /connection refused|connection request: timeout/i,
    downWithin: 15_000,
  },
  {
    name: "postgresql",
    start: startPostgres,
    operator: (port) =>
      new PostgresqlOperator({ connectionString: pgUrl(port), ...PG_TABLE }),
    crash: "SIGQUIT",
    // opendal-service-postgresql maps every sqlx error to a persistent
    // Unexpected, and sqlx keeps trying to connect for its 30 s acquire
    // timeout: bound it with TimeoutLayer (see the last test).
    temporary: false,
    downMessage: /pool timed out while waiting for an open connection/,
    downWithin: 35_000,
  },
];

/** Writes, reads back and compares checksums. */
async function roundTrip(op: Operator, path: string, seed: number) {
  const bytes = pseudoRandom(10_000 + seed, seed);
  await op.write(path, bytes);
  assert.equal(sha256(await op.read(path)), sha256(bytes), path);
}

for (const c of cases) {
  Deno.test(`${c.name} down and back: a clear error, then the same operator works again`, async () => {
    await using server = await c.start();
    using op = c.operator(server.port);
    await roundTrip(op, "before", 1);

    await server.kill(c.crash);
    const started = performance.now();
    const err = await op.write("during", "x").then(() => undefined, (e) => e);
    const elapsed = performance.now() - started;
    assert.ok(err instanceof OpendalError, `must fail while down: ${err}`);
    assert.equal(err.kind, "Unexpected", err.message);
    assert.equal(err.temporary, c.temporary, err.message);
    assert.match(err.message, c.downMessage);
    assert.ok(elapsed < c.downWithin, `failed after ${elapsed} ms`);

    await server.start();
    await roundTrip(op, "after", 2);
    await roundTrip(op, "after", 3);
  });
}

Deno.test("redis restarted during RetryLayer's backoff: the write that met it down succeeds", async () => {
  await using server = await startRedis();
  using op = new RedisOperator({ endpoint: `tcp://127.0.0.1:${server.port}` })
    .layer(new RetryLayer({ maxTimes: 6, minDelay: 300, maxDelay: 3_000 }));
  await roundTrip(op, "before", 4);
  await server.kill("SIGKILL");
  const bytes = pseudoRandom(100_000, 5);
  const writing = op.write("spanning", bytes);
  await new Promise((r) => setTimeout(r, 200));
  await server.start();
  await writing;
  assert.equal(sha256(await op.read("spanning")), sha256(bytes));
});

Deno.test("postgresql restarted: TimeoutLayer then RetryLayer carry a write across it", async () => {
  await using server = await startPostgres();
  const attempts: string[] = [];
  // Each attempt ends at the timeout (ioTimeout: the SQL runs when the
  // writer closes), a temporary error, which RetryLayer retries; logging inside the retry sees every attempt.
  using op = new PostgresqlOperator({
    connectionString: pgUrl(server.port),
    ...PG_TABLE,
  })
    .layer(new TimeoutLayer({ timeout: 1_000, ioTimeout: 1_000 }))
    .layer(
      new LoggingLayer({
        level: "warn",
        sink: (r) => attempts.push(r.message),
      }),
    )
    .layer(new RetryLayer({ maxTimes: 8, minDelay: 200, maxDelay: 1_000 }));
  await roundTrip(op, "before", 6);
  await server.kill("SIGQUIT");
  const bytes = pseudoRandom(100_000, 7);
  const writing = op.write("spanning", bytes);
  await new Promise((r) => setTimeout(r, 1_500));
  await server.start();
  await writing;
  assert.ok(
    attempts.some((m) => /timeout|timed out/i.test(m)),
    `an attempt timed out while the server was down: ${attempts.join("\n")}`,
  );
  assert.equal(sha256(await op.read("spanning")), sha256(bytes));
  assert.equal(
    sha256(await op.read("before")),
    sha256(pseudoRandom(10_006, 6)),
    "committed data survived the crash",
  );
});
