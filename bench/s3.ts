/**
 * S3 clients side by side, in Deno: this module against
 * `@aws-sdk/client-s3` (+ lib-storage, s3-request-presigner), `aws4fetch`,
 * `minio`, `s3mini` and npm:opendal 0.49.2, against one local S3 server
 * (versitygw, see bench/s3_server.ts) this script starts and stops.
 *
 *     deno task bench:s3            # full run; writes its section of bench/RESULTS.md
 *     deno task bench:s3 --smoke    # tiny sizes, one round, nothing written
 *     deno task bench:s3 --hop      # small requests, this module and npm:opendal,
 *                                   # with context switches (bench/PROFILE.md)
 *
 * Each client runs in a process of its own (bench/s3_worker.ts), so the
 * client process's CPU time (every thread: the event loop, a Rust runtime,
 * a blocking pool) and its peak RSS are that client's alone. The server
 * shares the machine, so CPU time is the fair measure of a client; wall
 * time is reported too. Within a round every client runs every row once, in
 * an order that rotates from row to row and round to round; each cell is the
 * median over rounds, and each ratio is a client's median over this
 * module's (above 1: the module is cheaper). Every result is checked (see
 * bench/s3_worker.ts), so no client wins by doing less.
 *
 * @module
 */

import { Operator } from "@opendal/core";
import { loadNpmOpendal } from "./impls.ts";
import { type ClientName, CLIENTS, PART_SIZE } from "./s3_clients.ts";
import { chunks, payload } from "./s3_data.ts";
import { ANSWER, fixtures, type Job, type Sample } from "./s3_jobs.ts";
import { type Server, startServer } from "./s3_server.ts";
import { replaceSection } from "./results_file.ts";

const smoke = Deno.args.includes("--smoke");
const hop = Deno.args.includes("--hop");
const unknown = Deno.args.filter((a) => !["--smoke", "--hop"].includes(a));
if (unknown.length) {
  console.error(`s3.ts: unknown arguments: ${unknown.join(" ")}`);
  Deno.exit(2);
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const ROUNDS = smoke ? 1 : hop ? 7 : 5;
const ENTRIES = smoke ? 100 : 10_000;
const STREAM = smoke ? 2 * PART_SIZE + 3 * MiB : GiB;

/** A row of the table: a name and the job each round runs. */
interface Row {
  name: string;
  job: (round: number) => Job;
}

/** `count` sequential or concurrent operations of `kind` on `size` bytes. */
function ops(
  kind: "put" | "get" | "stat",
  size: number,
  count: number,
  inFlight = 1,
): Row {
  const name = inFlight > 1
    ? `${kind} ×${inFlight} in flight, ${bytes(size)}`
    : `${kind} ${bytes(size)}`;
  return {
    name,
    job: (round) => ({ kind, size, count, inFlight, round }),
  };
}

function rows(): Row[] {
  if (hop) {
    return [
      ops("stat", 4 * KiB, 200),
      ops("get", 4 * KiB, 200),
      ops("put", 4 * KiB, 200),
    ];
  }
  const sizes = smoke
    ? [[4 * KiB, 4], [256 * KiB, 2]]
    // 16 gets of 4 MiB per round, not 4: a process's first large results
    // fault in fresh pages until the collector frees earlier ones (see
    // bench/PROFILE.md, "Large S3 gets"), and 4 left the median to luck.
    : [[4 * KiB, 100], [256 * KiB, 20], [4 * MiB, 16], [64 * MiB, 2]];
  return [
    ops("stat", 4 * KiB, smoke ? 4 : 100),
    ...sizes.flatMap(([size, n]) => [ops("put", size, n), ops("get", size, n)]),
    ops("put", 4 * KiB, smoke ? 64 : 256, 64),
    ops("get", 4 * KiB, smoke ? 64 : 256, 64),
    {
      name: `list ${ENTRIES.toLocaleString("en")} keys`,
      job: (round) => ({ kind: "list", entries: ENTRIES, round }),
    },
    {
      name: `upload ${bytes(STREAM)}, streamed`,
      job: (round) => ({ kind: "upload", size: STREAM, round }),
    },
    {
      name: `download ${bytes(STREAM)}, streamed`,
      job: (round) => ({ kind: "download", size: STREAM, round }),
    },
    {
      name: `presign ${ENTRIES.toLocaleString("en")} URLs`,
      job: (round) => ({
        kind: "presign",
        count: ENTRIES,
        entries: ENTRIES,
        round,
      }),
    },
  ];
}

function bytes(n: number): string {
  if (n >= GiB && n % GiB === 0) return `${n / GiB} GiB`;
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= MiB) return `${(n / MiB).toFixed(0)} MiB`;
  return `${n / KiB} KiB`;
}

// ---------------------------------------------------------------------------
// Fixtures: what the get, download, list and presign rows read, written
// once with this module.

async function writeFixtures(server: Server, rowList: Row[]): Promise<void> {
  const t = server.target;
  const op = new Operator("s3", {
    bucket: t.bucket,
    endpoint: t.endpoint,
    region: t.region,
    access_key_id: t.accessKeyId,
    secret_access_key: t.secretAccessKey,
    disable_config_load: true,
    disable_ec2_metadata: true,
  });
  try {
    const jobs = rowList.map((r) => r.job(0));
    const sizes = new Set(
      jobs.flatMap((j) =>
        j.kind === "get" || j.kind === "stat" ? [j.size] : []
      ),
    );
    const writes: (() => Promise<unknown>)[] = [];
    for (const size of sizes) {
      for (let i = 0; i < fixtures.copies(size); i++) {
        writes.push(() =>
          op.write(
            fixtures.getKey(size, i),
            payload(fixtures.getTag(size, i), size),
          )
        );
      }
    }
    if (jobs.some((j) => j.kind === "list" || j.kind === "presign")) {
      for (let i = 0; i < ENTRIES; i++) {
        writes.push(() =>
          op.write(
            fixtures.listKey(i),
            payload(fixtures.listTag(i), fixtures.listSize),
          )
        );
      }
    }
    await inParallel(writes, 32);
    if (jobs.some((j) => j.kind === "download")) {
      const w = await op.writer(fixtures.downloadKey, {
        chunk: PART_SIZE,
        concurrent: 4,
      });
      for (const c of chunks(fixtures.downloadTag, STREAM)) await w.write(c);
      await w.close();
    }
  } finally {
    op.close();
  }
}

async function inParallel(
  tasks: (() => Promise<unknown>)[],
  width: number,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: width }, lane));
}

// ---------------------------------------------------------------------------
// Workers: one process per client.

const here = new URL(".", import.meta.url).pathname;

/** What a worker sample adds: the process's peak RSS during it. */
interface Measured extends Sample {
  peakKiB: number;
}

class Worker {
  readonly #child: Deno.ChildProcess;
  readonly #stdin: WritableStreamDefaultWriter<Uint8Array>;
  readonly #answers: AsyncIterator<string>;

  constructor(readonly name: ClientName, server: Server) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-lock",
        "--allow-ffi",
        "--allow-read",
        "--allow-env",
        "--allow-sys",
        "--allow-net=127.0.0.1",
        `${here}s3_worker.ts`,
        name,
        JSON.stringify(server.target),
        server.dataDir,
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    this.#stdin = this.#child.stdin.getWriter();
    this.#answers = answers(this.#child.stdout, name);
  }

  async run(job: Job): Promise<Measured> {
    const pid = this.#child.pid;
    await sh(`echo 5 > /proc/${pid}/clear_refs`); // VmHWM := VmRSS
    await this.#stdin.write(
      new TextEncoder().encode(JSON.stringify(job) + "\n"),
    );
    const next = await this.#answers.next();
    if (next.done) {
      throw new Error(`${this.name}: the worker exited (see its error above)`);
    }
    const sample = JSON.parse(next.value) as Sample;
    const status = await sh(`cat /proc/${pid}/status`);
    const peakKiB = Number(status.match(/^VmHWM:\s*(\d+)/m)?.[1]);
    return { ...sample, peakKiB };
  }

  async close(): Promise<void> {
    await this.#stdin.close().catch(() => {});
    await this.#child.status;
  }

  kill(): void {
    try {
      this.#child.kill("SIGKILL");
    } catch { /* already gone */ }
  }
}

/** The worker's answer lines; anything else it prints goes to stderr. */
async function* answers(
  stdout: ReadableStream<Uint8Array>,
  name: string,
): AsyncGenerator<string> {
  let rest = "";
  for await (const text of stdout.pipeThrough(new TextDecoderStream())) {
    const lines = (rest + text).split("\n");
    rest = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith(ANSWER)) yield line.slice(ANSWER.length);
      else if (line.trim()) console.error(`[${name}] ${line}`);
    }
  }
}

async function sh(script: string): Promise<string> {
  const out = await new Deno.Command("sh", { args: ["-c", script] }).output();
  if (!out.success) {
    throw new Error(`${script}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

// ---------------------------------------------------------------------------
// Running and reporting.

type Results = Map<string, Map<ClientName, Measured[]>>;

async function measureAll(
  workers: Worker[],
  rowList: Row[],
): Promise<Results> {
  const results: Results = new Map(
    rowList.map((r) => [r.name, new Map(workers.map((w) => [w.name, []]))]),
  );
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, row] of rowList.entries()) {
      const shift = (round + i) % workers.length;
      const order = [...workers.slice(shift), ...workers.slice(0, shift)];
      for (const w of order) {
        const m = await w.run(row.job(round));
        results.get(row.name)!.get(w.name)!.push(m);
      }
      console.error(`round ${round + 1}/${ROUNDS}: ${row.name}`);
    }
  }
  return results;
}

/** Warms every worker up on each row once, with small jobs. */
async function warmUp(workers: Worker[], rowList: Row[]): Promise<void> {
  for (const row of rowList) {
    const job = row.job(0);
    // A full-size stream would warm up nothing the rounds do not.
    if ((job.kind === "upload" || job.kind === "download") && !smoke) continue;
    const small = "count" in job
      ? { ...job, count: Math.min(job.count, 64) }
      : job;
    for (const w of workers) await w.run(small);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const perOp = {
  cpu: (m: Measured) => m.cpuUs / m.ops,
  wall: (m: Measured) => m.wallMs * 1000 / m.ops,
  peak: (m: Measured) => m.peakKiB / 1024,
  voluntary: (m: Measured) => m.voluntary / m.ops,
  involuntary: (m: Measured) => m.involuntary / m.ops,
};

function microseconds(us: number): string {
  if (us >= 100_000) return `${(us / 1000).toFixed(0)} ms`;
  if (us >= 10_000) return `${(us / 1000).toFixed(1)} ms`;
  if (us >= 100) return `${us.toFixed(0)} µs`;
  return `${us.toFixed(1)} µs`;
}

function ratio(x: number): string {
  return x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`;
}

/** A markdown table; columns in `left` are left-aligned, the rest right. */
function markdownTable(
  header: string[],
  body: string[][],
  left = [0],
): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `| ${
      header.map((_, i) => (left.includes(i) ? "---" : "---:")).join(" | ")
    } |`,
    ...body.map((r) => `| ${r.join(" | ")} |`),
  ];
}

/** One table: this module's value, then each client's ratio to it. */
function table(
  results: Results,
  clients: ClientName[],
  value: (m: Measured) => number,
  show: (v: number) => string,
): string[] {
  const body = [...results].map(([row, byClient]) => {
    const base = median(byClient.get("this module")!.map(value));
    return [
      row,
      show(base),
      ...clients.slice(1).map((c) =>
        ratio(median(byClient.get(c)!.map(value)) / base)
      ),
    ];
  });
  return markdownTable(["workload", ...clients], body);
}

/** Per client, the range and median of its CPU-time ratio over the rows. */
function headline(results: Results, clients: ClientName[]): string[] {
  const body = clients.slice(1).map((c) => {
    const rs = (value: (m: Measured) => number) =>
      [...results.values()].map((byClient) =>
        median(byClient.get(c)!.map(value)) /
        median(byClient.get("this module")!.map(value))
      );
    const cpu = rs(perOp.cpu);
    const wall = rs(perOp.wall);
    const range = (xs: number[]) =>
      `${ratio(Math.min(...xs))}–${ratio(Math.max(...xs))} (median ${
        ratio(median(xs))
      })`;
    const behind = [...results.keys()].filter((_, i) => cpu[i] < 1);
    return [
      c,
      range(cpu),
      range(wall),
      behind.length ? behind.join(", ") : "none",
    ];
  });
  return markdownTable(
    [
      "client",
      "its CPU / this module's",
      "its wall time / this module's",
      "rows where it uses less CPU",
    ],
    body,
    [0, 3],
  );
}

function hopTable(results: Results, clients: ClientName[]): string[] {
  const body = [...results].flatMap(([row, byClient]) =>
    clients.map((c) => {
      const ms = byClient.get(c)!;
      const v = (f: (m: Measured) => number) => median(ms.map(f));
      return [
        row,
        c,
        microseconds(v(perOp.cpu)),
        microseconds(v(perOp.wall)),
        v(perOp.voluntary).toFixed(2),
        v(perOp.involuntary).toFixed(2),
      ];
    })
  );
  return markdownTable(
    [
      "request",
      "client",
      "client CPU",
      "wall",
      "voluntary switches",
      "involuntary switches",
    ],
    body,
    [0, 1],
  );
}

function load(): string {
  return Deno.loadavg()[0].toFixed(2);
}

async function versions(): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["--version"],
  }).output();
  return new TextDecoder().decode(out.stdout).split("\n")[0];
}

/** The checkout's commit, marked when the tree has changes. */
async function commit(): Promise<string> {
  const head = (await sh("git rev-parse --short HEAD 2>/dev/null || true"))
    .trim();
  if (!head) return "unknown commit";
  const dirty = (await sh("git status --porcelain 2>/dev/null || true")).trim();
  return `commit ${head}${dirty ? " + changes" : ""}`;
}

async function report(
  results: Results,
  clients: ClientName[],
  loadBefore: string,
  serverCpu: string,
): Promise<string> {
  const lines = [
    "## S3 clients in Deno",
    "",
    `- ${await versions()}, ${navigator.hardwareConcurrency} cores, ` +
    `${await commit()}; ` +
    `${new Date().toISOString().slice(0, 10)}; load average (1 min) ` +
    `${loadBefore} before, ${load()} after; server CPU ${serverCpu}`,
    `- Server: versitygw v1.8.0 (posix backend, keep-alive), on 127.0.0.1`,
    `- Median of ${ROUNDS} rounds; clients interleaved, each in its own process`,
    "",
    "Clients: this module (`S3Operator`), npm:opendal 0.49.2, " +
    "`@aws-sdk/client-s3` 3.1175.0 (+ lib-storage 3.1175.0, " +
    "s3-request-presigner 3.1169.0), aws4fetch 1.0.20, minio 8.0.7, " +
    "s3mini 1.0.2, each with its defaults except multipart: 8 MiB parts, " +
    "4 in flight where the client can (npm:opendal 0.49.2 and minio send " +
    "one part at a time; aws4fetch has no multipart helper, so its upload " +
    "is the signed requests a user writes). Every result is checked: gets " +
    "and downloads byte for byte, puts and uploads on the server's disk, " +
    "listings key by key, presigned URLs by fetching some; the checks are " +
    "not in the figures. The first column is this module's own figure, the " +
    "others a client's figure over it: above 1× the client costs more.",
    "",
    "### Client CPU time per operation (the client process, every thread)",
    "",
    ...table(results, clients, perOp.cpu, microseconds),
    "",
    "### Wall time per operation",
    "",
    ...table(results, clients, perOp.wall, microseconds),
    "",
    "### Peak RSS of the client process during the row",
    "",
    ...table(results, clients, perOp.peak, (v) => `${v.toFixed(0)} MiB`),
    "",
    "### In short",
    "",
    ...headline(results, clients),
  ];
  return lines.join("\n");
}

/** The server's CPU time so far (utime + stime), in seconds. */
async function serverCpuSeconds(pid: number): Promise<number> {
  const stat = await sh(`cat /proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function main(): Promise<void> {
  const started = performance.now();
  const clients: ClientName[] = hop
    ? ["this module", "npm:opendal"]
    : [...CLIENTS];
  const rowList = rows();
  await loadNpmOpendal(); // installs it once, before the workers need it
  const server = await startServer();
  const workers: Worker[] = [];
  const stop = () => {
    for (const w of workers) w.kill();
    server.stop().finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", stop);
  try {
    await writeFixtures(server, rowList);
    for (const c of clients) workers.push(new Worker(c, server));
    const loadBefore = load();
    await warmUp(workers, rowList);
    const cpu0 = await serverCpuSeconds(server.pid);
    const results = await measureAll(workers, rowList);
    const cpu = (await serverCpuSeconds(server.pid)) - cpu0;
    for (const w of workers) await w.close();
    if (hop) {
      console.log(hopTable(results, clients).join("\n"));
    } else {
      const text = await report(
        results,
        clients,
        loadBefore,
        `${cpu.toFixed(0)} s`,
      );
      console.log(text);
      if (smoke) {
        console.error("smoke run: bench/RESULTS.md left unchanged");
      } else {
        await replaceSection("s3-clients", text);
      }
    }
    console.error(
      `took ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
  } finally {
    Deno.removeSignalListener("SIGINT", stop);
    for (const w of workers) w.kill();
    await server.stop();
  }
}

if (import.meta.main) await main();
