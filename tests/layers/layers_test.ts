import assert from "node:assert/strict";
import { diagnostics, type Layer, OpendalError, Operator } from "@opendal/core";
import { MemoryOperator } from "@opendal/core/services/memory";
import {
  CapabilityOverrideLayer,
  ChaosLayer,
  ConcurrentLimitLayer,
  LoggingLayer,
  type LogRecord,
  MimeGuessLayer,
  RetryLayer,
  ThrottleLayer,
  TimeoutLayer,
} from "@opendal/core/layers";

Deno.test("mime guess: the guessed type is stored and a later stat returns it", async () => {
  using base = new MemoryOperator();
  using guessing = base.layer(new MimeGuessLayer());
  await guessing.write("page.html", "<p>hi</p>");
  await guessing.write("explicit.html", "x", { contentType: "text/plain" });
  // Read back through the operator without the layer: the service stored it.
  assert.equal((await base.stat("page.html")).contentType, "text/html");
  assert.equal((await base.stat("explicit.html")).contentType, "text/plain");
  await base.write("plain.html", "x");
  assert.equal((await base.stat("plain.html")).contentType, undefined);
});

Deno.test("throttle: writing N bytes at B bytes/s takes about N/B", async () => {
  const bandwidth = 512 * 1024;
  const chunk = 64 * 1024;
  const total = 512 * 1024;
  using op = new MemoryOperator()
    .layer(new ThrottleLayer({ bandwidth, burst: chunk }));
  const start = performance.now();
  const writer = await op.writer("big.bin");
  for (let sent = 0; sent < total; sent += chunk) {
    await writer.write(new Uint8Array(chunk));
  }
  await writer.close();
  const seconds = (performance.now() - start) / 1000;
  // The first burst passes at once; the rest at the bandwidth (generous bound).
  const floor = ((total - chunk) / bandwidth) * 0.8;
  assert.ok(seconds >= floor, `took ${seconds} s, expected at least ${floor}`);
  assert.equal((await op.stat("big.bin")).contentLength, total);
});

Deno.test("throttle: reads are not limited (OpenDAL throttles writes only, as documented)", async () => {
  using base = new MemoryOperator();
  const size = 4 * 1024 * 1024;
  await base.write("big.bin", new Uint8Array(size));
  // At 64 KiB/s a throttled read of 4 MiB would take a minute.
  using op = base.layer(new ThrottleLayer({ bandwidth: 64 * 1024 }));
  const start = performance.now();
  assert.equal((await op.read("big.bin")).byteLength, size);
  const seconds = (performance.now() - start) / 1000;
  assert.ok(seconds < 10, `a read took ${seconds} s: reads are throttled now`);
});

Deno.test("logging: lines appear at the chosen level and not below it", async () => {
  const collect = (level: "debug" | "info" | "warn") => {
    const lines: LogRecord[] = [];
    const op = new MemoryOperator().layer(
      new LoggingLayer({ level, sink: (r) => lines.push(r) }),
    );
    return { op, lines };
  };
  for (const level of ["debug", "info", "warn"] as const) {
    const { op, lines } = collect(level);
    await op.write("a.txt", "x");
    await op.stat("missing.txt").catch(() => {});
    op.statSync("a.txt");
    op.close();
    const levels = lines.map((l) => l.level);
    const rank = { debug: 0, info: 1, warn: 2, error: 3 };
    assert.ok(
      levels.every((l) => rank[l] >= rank[level]),
      `${level}: ${levels}`,
    );
    const text = lines.map((l) => l.message).join("\n");
    assert.match(text, /memory stat path=missing\.txt failed: NotFound/);
    // The short message: the path is on the line once, no debug context.
    assert.doesNotMatch(text, /path: missing|\(permanent\)|context:/);
    if (level !== "warn") {
      assert.match(text, /memory write path=a\.txt written=1 close succeeded/);
      assert.match(text, /memory stat path=a\.txt finished/);
    } else {
      assert.doesNotMatch(text, /finished/);
    }
    if (level === "debug") {
      assert.match(text, /memory write path=a\.txt started/);
    } else assert.doesNotMatch(text, /started/);
  }
});

Deno.test("invalid layer options are ConfigInvalid before OpenDAL sees them", () => {
  const cases: [string, () => Layer][] = [
    ["factor < 1", () => new RetryLayer({ factor: 0.5 })],
    ["NaN factor", () => new RetryLayer({ factor: NaN })],
    ["negative delay", () => new RetryLayer({ minDelay: -1 })],
    ["min > max delay", () => new RetryLayer({ minDelay: 10, maxDelay: 1 })],
    ["fractional retries", () => new RetryLayer({ maxTimes: 1.5 })],
    ["zero timeout", () => new TimeoutLayer({ timeout: 0 })],
    ["NaN io timeout", () => new TimeoutLayer({ ioTimeout: NaN })],
    ["zero permits", () => new ConcurrentLimitLayer({ permits: 0 })],
    ["missing permits", () => new ConcurrentLimitLayer({} as never)],
    ["zero bandwidth", () => new ThrottleLayer({ bandwidth: 0 })],
    ["zero burst", () => new ThrottleLayer({ bandwidth: 10, burst: 0 })],
    ["huge bandwidth", () => new ThrottleLayer({ bandwidth: 2 ** 40 })],
    ["bad level", () => new LoggingLayer({ level: "loud" as never })],
    ["ratio > 1", () => new ChaosLayer({ errorRatio: 2 })],
    [
      "unknown capability",
      () => new CapabilityOverrideLayer({ nope: true } as never),
    ],
    ["string factor", () => new RetryLayer({ factor: "2" as never })],
  ];
  for (const [name, make] of cases) {
    assert.throws(make, (e: unknown) => {
      assert.ok(e instanceof OpendalError, `${name}: ${e}`);
      assert.equal(e.kind, "ConfigInvalid", name);
      return true;
    }, name);
  }
});

Deno.test("chaos: injected failures are temporary, and retry absorbs them", async () => {
  using base = new MemoryOperator();
  await base.write("a", "data");
  using flaky = base.layer(new ChaosLayer({ errorRatio: 1 }));
  const err = await flaky.read("a").catch((e) => e);
  assert.ok(err instanceof OpendalError);
  assert.equal(err.temporary, true);
  using healed = base
    .layer(new ChaosLayer({ errorRatio: 0.5 }))
    .layer(new RetryLayer({ maxTimes: 100, minDelay: 1, maxDelay: 1 }));
  for (let i = 0; i < 20; i++) assert.equal(await healed.readText("a"), "data");
});

Deno.test("capability override changes what the operator reports", () => {
  using op = new MemoryOperator()
    .layer(new CapabilityOverrideLayer({ list: false, writeCanAppend: false }));
  assert.equal(op.capability().list, false);
  assert.equal(op.capability().read, true);
});

Deno.test("layering keeps the class and leaves the original operator working", async () => {
  using base = new MemoryOperator();
  using layered = base.layer(new RetryLayer());
  assert.ok(layered instanceof MemoryOperator);
  assert.ok(layered instanceof Operator);
  assert.notEqual(layered, base);
  await layered.write("x", "1");
  assert.equal(await base.readText("x"), "1", "same store underneath");
  base.close();
  assert.equal(await layered.readText("x"), "1", "the layered one outlives it");
});

Deno.test("layers apply in call order", async () => {
  const lines: LogRecord[] = [];
  // Logging outside retry sees one operation; inside, it sees every attempt.
  using base = new MemoryOperator();
  await base.write("a", "data");
  using op = base
    .layer(new LoggingLayer({ level: "warn", sink: (r) => lines.push(r) }))
    .layer(new ChaosLayer({ errorRatio: 0 }))
    .layer(new RetryLayer({ maxTimes: 1 }));
  await op.stat("missing").catch(() => {});
  assert.equal(lines.length, 1, "NotFound is permanent: one attempt, one line");
});

Deno.test("a closed layer cannot be applied, operators it wrapped still work", async () => {
  const layer = new RetryLayer();
  using op = new MemoryOperator().layer(layer);
  layer.close();
  assert.throws(() => new MemoryOperator().layer(layer), (e: unknown) => {
    assert.ok(e instanceof Deno.errors.BadResource);
    assert.ok(e instanceof OpendalError);
    assert.equal(e.kind, "BadResource");
    return true;
  });
  await op.write("a", "b");
  assert.throws(() => op.layer({} as Layer), OpendalError);
});

Deno.test("a layered operator owns what it was made of: one close releases the chain", async () => {
  const before = diagnostics().handles;
  {
    using op = new MemoryOperator()
      .layer(new TimeoutLayer({ timeout: 10_000 }))
      .layer(new RetryLayer());
    await op.write("a", "b");
    // base, intermediate, outer operator and two layers
    assert.equal(diagnostics().handles - before, 5);
  }
  assert.equal(diagnostics().handles, before, "all released at scope end");

  // The parts keep working until the layered operator closes.
  const base = new MemoryOperator();
  const retry = new RetryLayer();
  const layered = base.layer(retry);
  using other = new MemoryOperator().layer(retry); // a shared layer
  await base.write("x", "1");
  assert.equal(await layered.readText("x"), "1");
  layered.close();
  assert.throws(() => base.statSync("x"), Deno.errors.BadResource);
  assert.throws(
    () => new MemoryOperator().layer(retry),
    Deno.errors.BadResource,
  );
  await other.write("y", "2"); // made before: unaffected
  assert.equal(await other.readText("y"), "2");
});
