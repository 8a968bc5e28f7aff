/**
 * Every layer on every service module: the layered operator keeps its class,
 * works, and the original keeps working. Services that need a server join
 * this matrix from `tests/services/` when their server runs.
 */
import assert from "node:assert/strict";
import type { Layer, Operator } from "@opendal/core";
import { FsOperator } from "@opendal/core/services/fs";
import { MemoryOperator } from "@opendal/core/services/memory";
import {
  CapabilityOverrideLayer,
  ChaosLayer,
  ConcurrentLimitLayer,
  LoggingLayer,
  MimeGuessLayer,
  RetryLayer,
  ThrottleLayer,
  TimeoutLayer,
} from "@opendal/core/layers";

const layers: Record<string, () => Layer> = {
  RetryLayer: () => new RetryLayer({ maxTimes: 2, minDelay: 1 }),
  TimeoutLayer: () => new TimeoutLayer({ timeout: 5000 }),
  ConcurrentLimitLayer: () => new ConcurrentLimitLayer({ permits: 2 }),
  MimeGuessLayer: () => new MimeGuessLayer(),
  ThrottleLayer: () => new ThrottleLayer({ bandwidth: 1 << 30 }),
  LoggingLayer: () => new LoggingLayer({ level: "error", sink: () => {} }),
  CapabilityOverrideLayer: () =>
    new CapabilityOverrideLayer({ presign: false }),
  ChaosLayer: () => new ChaosLayer({ errorRatio: 0 }),
};

const services: Record<
  string,
  [new (o: never) => Operator, () => Promise<object>]
> = {
  fs: [FsOperator, async () => ({ root: await Deno.makeTempDir() })],
  memory: [MemoryOperator, () => Promise.resolve({})],
};

for (const [service, [Class, options]] of Object.entries(services)) {
  for (const [name, make] of Object.entries(layers)) {
    Deno.test(`${service} + ${name}`, async () => {
      using base = new Class(await options() as never);
      using layered = base.layer(make());
      assert.ok(layered instanceof Class, "keeps its class");
      await layered.write("dir/file.txt", "content");
      assert.equal(await layered.readText("dir/file.txt"), "content");
      assert.equal(layered.readTextSync("dir/file.txt"), "content");
      const paths = [];
      for await (const e of layered.list("dir/")) paths.push(e.path);
      assert.ok(paths.includes("dir/file.txt"), String(paths));
      assert.equal(await base.readText("dir/file.txt"), "content");
      await layered.delete("dir/file.txt");
      assert.equal(await base.exists("dir/file.txt"), false);
    });
  }
}
