/**
 * One S3 client in a process of its own, measured by bench/s3.ts: it makes
 * the client, then runs each job read from stdin (a JSON `Job` per line) and
 * answers with a `Sample` line. Its own process means the client's CPU time,
 * its garbage and its peak memory are its alone.
 *
 *     deno run ... bench/s3_worker.ts CLIENT TARGET_JSON DATA_DIR
 *
 * Every result is checked: a get or download byte for byte, a put or upload
 * on the server's disk (DATA_DIR), a listing key by key, presigned URLs by
 * fetching some. Checks run outside the measured time, or, where they must
 * run during it (a streamed download), on the calling thread with their own
 * thread CPU time and wall time taken out of the sample.
 *
 * @module
 */

import process from "node:process";
import { type ClientName, makeClient, type S3Target } from "./s3_clients.ts";
import { ANSWER, fixtures, type Job, type Sample } from "./s3_jobs.ts";
import { chunks, payload, Verifier, verify } from "./s3_data.ts";

const [name, targetJson, dataDir] = Deno.args;
const target = JSON.parse(targetJson) as S3Target;
const client = await makeClient(name as ClientName, target);

/** This thread's CPU time in ns (clock_gettime(CLOCK_THREAD_CPUTIME_ID)). */
const threadCpuNs = (() => {
  const libc = Deno.dlopen("libc.so.6", {
    clock_gettime: { parameters: ["i32", "buffer"], result: "i32" },
  });
  const ts = new BigInt64Array(2);
  const CLOCK_THREAD_CPUTIME_ID = 3;
  return (): number => {
    libc.symbols.clock_gettime(CLOCK_THREAD_CPUTIME_ID, ts);
    return Number(ts[0]) * 1e9 + Number(ts[1]);
  };
})();

/** Time spent in checks during a sample, taken out of it. */
const excluded = { cpuNs: 0, wallMs: 0 };

/** Runs a check during a sample without charging it to the client. */
function check(fn: () => void): void {
  const c = threadCpuNs();
  const w = performance.now();
  try {
    fn();
  } finally {
    excluded.cpuNs += threadCpuNs() - c;
    excluded.wallMs += performance.now() - w;
  }
}

/** Runs `n` operations, `width` at a time, in order. */
async function inFlight(
  n: number,
  width: number,
  op: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < n) await op(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, n) }, lane));
}

/** Measures `body` (ops operations) in this process. */
async function measure(
  ops: number,
  body: () => Promise<void>,
): Promise<Sample> {
  excluded.cpuNs = 0;
  excluded.wallMs = 0;
  const u0 = process.resourceUsage();
  const w0 = performance.now();
  await body();
  const wall = performance.now() - w0;
  const u1 = process.resourceUsage();
  const cpu = u1.userCPUTime + u1.systemCPUTime - u0.userCPUTime -
    u0.systemCPUTime;
  return {
    ops,
    wallMs: wall - excluded.wallMs,
    cpuUs: cpu - excluded.cpuNs / 1000,
    voluntary: u1.voluntaryContextSwitches - u0.voluntaryContextSwitches,
    involuntary: u1.involuntaryContextSwitches -
      u0.involuntaryContextSwitches,
  };
}

/** Checks the object the server stored for `key` on its disk. */
async function checkStored(key: string, tag: number, size: number) {
  using f = await Deno.open(`${dataDir}/${target.bucket}/${key}`);
  const v = new Verifier(tag, size);
  const buf = new Uint8Array(8 * 2 ** 20);
  for (;;) {
    const n = await f.read(buf);
    if (n === null) break;
    v.update(buf.subarray(0, n));
  }
  v.done(`${name}: stored ${key}`);
}

async function run(job: Job): Promise<Sample> {
  switch (job.kind) {
    case "put": {
      const { size, count, round } = job;
      const data = Array.from(
        { length: count },
        (_, i) => payload(fixtures.putTag(size, i, round), size),
      );
      const s = await measure(
        count,
        () =>
          inFlight(count, job.inFlight, async (i) => {
            await client.put(fixtures.putKey(size, i), data[i]);
          }),
      );
      for (let i = 0; i < count; i++) {
        await checkStored(
          fixtures.putKey(size, i),
          fixtures.putTag(size, i, round),
          size,
        );
      }
      return s;
    }
    case "get": {
      const { size, count } = job;
      const copies = fixtures.copies(size);
      return await measure(
        count,
        () =>
          inFlight(count, job.inFlight, async (i) => {
            const k = i % copies;
            const bytes = await client.get(fixtures.getKey(size, k));
            check(() =>
              verify(bytes, fixtures.getTag(size, k), size, `${name}: get`)
            );
          }),
      );
    }
    case "stat": {
      const { size, count } = job;
      const copies = fixtures.copies(size);
      return await measure(
        count,
        () =>
          inFlight(count, job.inFlight, async (i) => {
            const length = await client.stat(fixtures.getKey(size, i % copies));
            if (length !== size) {
              throw new Error(`${name}: stat says ${length}, not ${size}`);
            }
          }),
      );
    }
    case "upload": {
      const { size, round } = job;
      const tag = fixtures.putTag(size, 0, round);
      const key = `upload/${size}`;
      const s = await measure(
        1,
        () => client.upload(key, () => chunks(tag, size), size),
      );
      await checkStored(key, tag, size);
      return s;
    }
    case "download": {
      const v = new Verifier(fixtures.downloadTag, job.size);
      const s = await measure(1, async () => {
        await client.download(
          fixtures.downloadKey,
          (c) => check(() => v.update(c)),
        );
        check(() => v.done(`${name}: download`));
      });
      return s;
    }
    case "list": {
      let keys: string[] = [];
      const s = await measure(1, async () => {
        keys = await client.list(fixtures.listPrefix);
      });
      const want = Array.from(
        { length: job.entries },
        (_, i) => fixtures.listKey(i),
      );
      if (keys.length !== want.length || keys.some((k, i) => k !== want[i])) {
        throw new Error(
          `${name}: listed ${keys.length} keys, want ${want.length} (first ${
            keys[0]
          })`,
        );
      }
      return s;
    }
    case "presign": {
      const urls: string[] = [];
      const s = await measure(job.count, async () => {
        for (let i = 0; i < job.count; i++) {
          urls.push(await client.presign(fixtures.listKey(i % job.entries)));
        }
      });
      // Each URL names its key and carries a signature; some are fetched.
      for (const [i, url] of urls.entries()) {
        const key = fixtures.listKey(i % job.entries);
        if (!url.includes(key) || !url.includes("X-Amz-Signature=")) {
          throw new Error(`${name}: presigned URL ${i} is wrong: ${url}`);
        }
      }
      for (const i of [0, urls.length >> 1, urls.length - 1]) {
        const res = await fetch(urls[i]);
        if (!res.ok) {
          throw new Error(`${name}: presigned GET ${i}: HTTP ${res.status}`);
        }
        const e = i % job.entries;
        verify(
          new Uint8Array(await res.arrayBuffer()),
          fixtures.listTag(e),
          fixtures.listSize,
          `${name}: presigned GET`,
        );
      }
      return s;
    }
  }
}

/** stdin's lines. */
async function* lines(): AsyncGenerator<string> {
  let rest = "";
  for await (
    const text of Deno.stdin.readable.pipeThrough(new TextDecoderStream())
  ) {
    const parts = (rest + text).split("\n");
    rest = parts.pop()!;
    yield* parts;
  }
  if (rest) yield rest;
}

for await (const line of lines()) {
  if (!line.trim()) continue;
  const sample = await run(JSON.parse(line) as Job);
  console.log(ANSWER + JSON.stringify(sample));
}
client.close();
