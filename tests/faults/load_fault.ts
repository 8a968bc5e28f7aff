/**
 * Load: 10 000 mixed operations (write, read, stat, list, delete; 0 B to
 * 256 KiB) across memory, fs, an S3 server (moto) and Redis, 256 in flight,
 * blocking calls interleaved with async ones on the local services. Every
 * read is checked against the sha256 of what was written; nothing may be
 * lost, mixed up, left unhandled or leaked.
 */
import assert from "node:assert/strict";
import { diagnostics, OpendalError, type Operator } from "@opendal/core";
import { FsOperator } from "@opendal/core/services/fs";
import { MemoryOperator } from "@opendal/core/services/memory";
import { RedisOperator } from "@opendal/core/services/redis";
import { S3Operator } from "@opendal/core/services/s3";
import { pseudoRandom, sha256 } from "./data.ts";
import { s3Options, startMoto, startRedis } from "./servers.ts";

// LOAD_OPS overrides the count, for a quick local run.
const OPERATIONS = Number(Deno.env.get("LOAD_OPS") ?? 10_000);
const IN_FLIGHT = 256;
const MAX_SIZE = 256 * 1024;
// Paths per service: more than IN_FLIGHT, so a free one always exists, and
// few enough that reads and deletes meet written files.
const PATHS = 300;

type Kind = "write" | "read" | "stat" | "list" | "delete";

/** What one service should hold, as the test wrote it. */
class Model {
  /** sha256 and size of each path's last committed write; absent: none. */
  readonly files = new Map<string, { sha: string; size: number }>();
  /** Paths an operation is in flight on: no two operations share a path. */
  readonly busy = new Set<string>();
  /** Bumped when a write or delete of the path starts. */
  readonly version = new Map<string, number>();
}

interface Service {
  name: string;
  op: Operator;
  /** Whether to use the blocking twins sometimes (local services only). */
  sync: boolean;
  model: Model;
  ops: number;
  bytes: number;
}

/** A small seeded generator, so a failing run can be replayed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

function pick(r: number): Kind {
  if (r < 0.3) return "write";
  if (r < 0.55) return "read";
  if (r < 0.75) return "stat";
  if (r < 0.85) return "list";
  return "delete";
}

function isNotFound(e: unknown): boolean {
  return e instanceof OpendalError && e.kind === "NotFound";
}

Deno.test("load: 10 000 mixed operations on four services, 256 in flight, every byte checked", async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: PromiseRejectionEvent) => {
    unhandled.push(e.reason);
    e.preventDefault();
  };
  globalThis.addEventListener("unhandledrejection", onUnhandled);
  const baseline = diagnostics().handles;
  await using moto = await startMoto();
  await using redis = await startRedis();
  const fsRoot = await Deno.makeTempDir({ prefix: "opendal-faults-load-" });

  const services: Service[] = [
    { name: "memory", op: new MemoryOperator(), sync: true },
    { name: "fs", op: new FsOperator({ root: fsRoot }), sync: true },
    { name: "s3", op: new S3Operator(s3Options(moto.port)), sync: false },
    {
      name: "redis",
      op: new RedisOperator({ endpoint: `tcp://127.0.0.1:${redis.port}` }),
      sync: false,
    },
  ].map((s) => ({ ...s, model: new Model(), ops: 0, bytes: 0 }));

  const random = rng(20261126);
  const failures: string[] = [];
  let mismatches = 0;
  let syncCalls = 0;
  const counts: Record<Kind, number> = {
    write: 0,
    read: 0,
    stat: 0,
    list: 0,
    delete: 0,
  };

  async function one(i: number): Promise<void> {
    const svc = services[Math.floor(random() * services.length)];
    const { op, model } = svc;
    let kind = pick(random());
    if (kind === "list" && !op.capability().list) kind = "stat";
    const sync = svc.sync && random() < 0.35;
    if (sync) syncCalls++;
    counts[kind]++;
    svc.ops++;

    if (kind === "list") {
      try {
        await listAndCheck();
      } catch (e) {
        throw new Error(`${svc.name} ${sync ? "listSync" : "list"}: ${e}`, {
          cause: e,
        });
      }
      return;
    }
    async function listAndCheck() {
      const dir = `d${Math.floor(random() * 4)}/`;
      const before = new Map(model.version);
      const busyBefore = new Set(model.busy);
      const listed = new Set<string>();
      const entries = sync
        ? [...op.listSync(dir)]
        : await Array.fromAsync(op.list(dir));
      for (const e of entries) listed.add(e.path);
      // Only paths nothing touched while the listing ran have a known answer.
      for (let p = 0; p < PATHS; p++) {
        const path = `${dir}f${p}`;
        if (p % 4 !== Number(dir[1])) continue;
        if (busyBefore.has(path) || model.busy.has(path)) continue;
        if (before.get(path) !== model.version.get(path)) continue;
        if (model.files.has(path) !== listed.has(path)) {
          mismatches++;
          failures.push(
            `${svc.name} list ${dir}: ${path} ${
              listed.has(path) ? "listed but deleted" : "missing"
            }`,
          );
        }
      }
    }

    // One path per operation at a time, so the expected answer is exact.
    let p = Math.floor(random() * PATHS);
    while (model.busy.has(`d${p % 4}/f${p}`)) p = (p + 1) % PATHS;
    const path = `d${p % 4}/f${p}`;
    model.busy.add(path);
    try {
      const expected = model.files.get(path);
      switch (kind) {
        case "write": {
          model.version.set(path, (model.version.get(path) ?? 0) + 1);
          const size = Math.floor(random() ** 2 * (MAX_SIZE + 1));
          const bytes = pseudoRandom(size, i + 1);
          if (sync) op.writeSync(path, bytes);
          else await op.write(path, bytes);
          model.files.set(path, { sha: sha256(bytes), size });
          svc.bytes += size;
          break;
        }
        case "read": {
          try {
            const got = sync ? op.readSync(path) : await op.read(path);
            svc.bytes += got.length;
            if (!expected || sha256(got) !== expected.sha) {
              mismatches++;
              failures.push(
                `${svc.name} read ${path}: ${got.length} bytes, expected ${
                  expected ? expected.size : "NotFound"
                }`,
              );
            }
          } catch (e) {
            if (!(expected === undefined && isNotFound(e))) throw e;
          }
          break;
        }
        case "stat": {
          try {
            const meta = sync ? op.statSync(path) : await op.stat(path);
            if (!expected || meta.contentLength !== expected.size) {
              mismatches++;
              failures.push(
                `${svc.name} stat ${path}: ${meta.contentLength}, expected ${expected?.size}`,
              );
            }
          } catch (e) {
            if (!(expected === undefined && isNotFound(e))) throw e;
          }
          break;
        }
        case "delete": {
          model.version.set(path, (model.version.get(path) ?? 0) + 1);
          if (sync) op.deleteSync(path);
          else await op.delete(path);
          model.files.delete(path);
          break;
        }
      }
    } finally {
      model.busy.delete(path);
    }
  }

  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < OPERATIONS) {
        const i = next++;
        await one(i).catch((e) => {
          failures.push(`op ${i}: ${e}`);
        });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  // Everything the model holds is there, byte for byte.
  for (const { name, op, model } of services) {
    for (const [path, { sha }] of model.files) {
      if (sha256(await op.read(path)) !== sha) {
        mismatches++;
        failures.push(`${name} final ${path}`);
      }
    }
  }
  for (const s of services) s.op.close();
  await Deno.remove(fsRoot, { recursive: true });
  await new Promise((r) => setTimeout(r, 0));
  globalThis.removeEventListener("unhandledrejection", onUnhandled);

  const mb = services.reduce((n, s) => n + s.bytes, 0) / 1024 / 1024;
  console.log(
    `${OPERATIONS} operations in ${seconds.toFixed(1)} s: ${
      Math.round(OPERATIONS / seconds)
    } ops/s, ${(mb / seconds).toFixed(0)} MiB/s (${
      mb.toFixed(0)
    } MiB moved); ` +
      `${syncCalls} blocking calls; ` +
      services.map((s) => `${s.name} ${s.ops}`).join(", ") + "; " +
      Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(", "),
  );
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} failures`);
  assert.equal(mismatches, 0);
  assert.deepEqual(unhandled, [], "no unhandled rejections");
  // At most: an object made before the baseline may be collected meanwhile.
  assert.ok(
    diagnostics().handles <= baseline,
    `handles back to baseline: ${diagnostics().handles} > ${baseline}`,
  );
  assert.equal(diagnostics().pending, 0, "no call left waiting");
});
