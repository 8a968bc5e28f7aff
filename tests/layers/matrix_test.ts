/**
 * Every layer on every service module: the layered operator keeps its class,
 * works, and the original keeps working. fs and memory always run; a service
 * named by `OPENDAL_TEST` (with its server started by scripts/services/)
 * joins the matrix.
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
import {
  assertFails,
  buildService,
  newDir,
  testedSchemes,
} from "../behavior/harness.ts";

const layers: Record<string, () => Layer> = {
  RetryLayer: () => new RetryLayer({ maxTimes: 2, minDelay: 1 }),
  TimeoutLayer: () => new TimeoutLayer({ timeout: 20_000 }),
  ConcurrentLimitLayer: () => new ConcurrentLimitLayer({ permits: 2 }),
  MimeGuessLayer: () => new MimeGuessLayer(),
  ThrottleLayer: () => new ThrottleLayer({ bandwidth: 1 << 30 }),
  LoggingLayer: () => new LoggingLayer({ level: "error", sink: () => {} }),
  CapabilityOverrideLayer: () =>
    new CapabilityOverrideLayer({ presign: false }),
  ChaosLayer: () => new ChaosLayer({ errorRatio: 0 }),
};

type Make = () => Promise<Operator>;
const services: Record<string, Make> = {
  fs: async () => new FsOperator({ root: await Deno.makeTempDir() }),
  memory: () => Promise.resolve(new MemoryOperator()),
};
for (const scheme of testedSchemes()) {
  if (!(scheme in services)) {
    services[scheme] = () => Promise.resolve(buildService(scheme).op);
  }
}

/** The paths `op` lists under `dir`. */
async function listed(op: Operator, dir: string): Promise<string[]> {
  const paths = [];
  for await (const e of op.list(dir)) paths.push(e.path);
  return paths;
}

/** Writes, reads, lists and deletes through `layered`, checking `base` sees it. */
async function exercise(base: Operator, layered: Operator): Promise<void> {
  const cap = layered.capability();
  if (!cap.write) {
    // Read-only services (http): a stat of the root goes through every layer.
    assert.equal((await layered.stat("")).isDirectory, true);
    return;
  }
  const dir = newDir();
  const path = `${dir}file.txt`;
  await layered.write(path, "content");
  assert.equal(await layered.readText(path), "content");
  assert.equal(await base.readText(path), "content");
  if (cap.list) {
    const paths = await listed(layered, dir);
    assert.ok(paths.includes(path), String(paths));
  }
  await layered.delete(path);
  // Gone for the base operator too: no longer listed, or, where the service
  // cannot list, not readable. (Not `exists`: mongodb's server here cannot
  // stat, see scripts/services/README.md.)
  if (cap.list) {
    const paths = await listed(base, dir);
    assert.ok(!paths.includes(path), String(paths));
  } else {
    await assertFails(base.read(path), "NotFound");
  }
}

for (const [service, make] of Object.entries(services)) {
  for (const [name, layer] of Object.entries(layers)) {
    Deno.test(`${service} + ${name}`, async () => {
      const base = await make();
      const Class = base.constructor as new (...args: never[]) => Operator;
      using layered = base.layer(layer());
      assert.ok(layered instanceof Class, "keeps its class");
      await exercise(base, layered);
      base.close();
    });
  }
}
