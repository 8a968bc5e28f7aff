/**
 * What each completion path costs a small S3 request: client CPU, wall time
 * and context switches per request against a local versitygw
 * (bench/s3_server.ts), one request at a time and 64 in flight.
 *
 * Paths compared, each in fresh processes, interleaved, medians:
 *
 * - `queue`: the module under `--allow-ffi=<library>`. A finished
 *   operation's ticket goes to the library's queue; one pending
 *   `nonblocking` `opendal_queue_wait`, parked on Deno's blocking pool,
 *   returns the batch and Deno resolves its promise on the event loop;
 *   JavaScript re-arms the wait while operations are pending.
 * - `callback`: the module under a bare `--allow-ffi`. The library's
 *   notifier thread (`opendal_queue_notify`) calls a thread-safe
 *   `Deno.UnsafeCallback`, which collects the batch at once: no promise per
 *   wait, no re-arm through the blocking pool (src/_ffi/notifier.ts).
 * - `npm:opendal`: 0.49.2 through Node-API, whose thread-safe function
 *   resolves from the runtime thread (the reference issue 19 sets).
 *
 * A second table splits each path's CPU by thread: the event loop, the
 * runtime's workers, the library's notifier, the rest.
 *
 *     deno run -A bench/completion/paths.ts
 *     WARMUP=3000 ROUNDS=7 deno run -A bench/completion/paths.ts  # warm processes
 *
 * @module
 */

import process from "node:process";
import { fileURLToPath } from "node:url";
import { s3Config, type S3Target } from "../s3_clients.ts";
import { type Server, startServer } from "../s3_server.ts";

const library = fileURLToPath(
  new URL("../../rust/target/release/libopendal_deno.so", import.meta.url),
);
const MODES = ["queue", "callback", "npm:opendal"] as const;
type Mode = typeof MODES[number];
const ROUNDS = Number(Deno.env.get("ROUNDS") ?? 15);
const OPS = 300;
/**
 * Requests before each measured batch. 30 leaves much of the module's
 * JavaScript to V8's first tiers; a few thousand measure a warm process.
 */
const WARMUP = Number(Deno.env.get("WARMUP") ?? 30);

/**
 * One process's figures per request: [cpu µs, wall µs, voluntary,
 * involuntary, then cpu µs of each of THREADS].
 */
type Figures = Record<string, number[]>;

/**
 * Where the CPU goes, by thread: the event loop (the process's main
 * thread), the runtime's workers (the library's `opendal-deno`, or
 * npm:opendal's `tokio-runtime-worker`), the library's notifier, and
 * every other thread (V8's, Deno's blocking pool).
 */
const THREADS = ["event loop", "runtime", "notifier", "other"] as const;

function threadGroup(tid: string, name: string): number {
  if (tid === String(Deno.pid)) return 0;
  if (name === "opendal-deno" || name.startsWith("tokio-runtime")) return 1;
  if (name === "opendal-notify") return 2;
  return 3;
}

/**
 * CPU µs so far of each of THREADS, from /proc/self/task (Linux): each
 * thread's `schedstat` (ns on a CPU), its name from `comm`. NaN where Deno
 * refuses /proc/self, which needs --allow-all (the queue path runs
 * without it).
 */
function threadCpu(): number[] {
  const sums = THREADS.map(() => 0);
  let tasks: Deno.DirEntry[];
  try {
    tasks = [...Deno.readDirSync("/proc/self/task")];
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) return sums.map(() => NaN);
    throw e;
  }
  for (const task of tasks) {
    const dir = `/proc/self/task/${task.name}`;
    let name: string, ns: number;
    try {
      name = Deno.readTextFileSync(`${dir}/comm`).trim();
      ns = Number(Deno.readTextFileSync(`${dir}/schedstat`).split(" ")[0]);
    } catch {
      continue; // the thread ended meanwhile
    }
    sums[threadGroup(task.name, name)] += ns / 1000;
  }
  return sums;
}

// ---------------------------------------------------------------------------
// The child: one mode, every request kind, printed as JSON.

interface Requests {
  stat(key: string): Promise<unknown>;
  read(key: string): Promise<Uint8Array>;
  write(key: string, data: Uint8Array): Promise<unknown>;
}

async function open(mode: Mode, t: S3Target): Promise<Requests> {
  const config = s3Config(t);
  if (mode === "npm:opendal") {
    const { loadNpmOpendal } = await import("../impls.ts");
    const { Operator } = await loadNpmOpendal() as unknown as {
      Operator: new (s: string, o: Record<string, string>) => Requests;
    };
    return new Operator("s3", config);
  }
  const { Operator } = await import("../../mod.ts");
  return new Operator("s3", config);
}

async function child(mode: Mode, target: S3Target) {
  const op = await open(mode, target);
  const data = new Uint8Array(4096).fill(7);
  await op.write("proto/x", data);
  await op.stat("proto/x");
  if (mode !== "npm:opendal") {
    const { lib } = await import("../../src/_ffi/native.ts");
    const path = lib().completions;
    if (path !== mode) throw new Error(`${mode}: the module took ${path}`);
  }
  const kinds: Record<string, (i: number) => Promise<unknown>> = {
    "stat 4 KiB": () => op.stat("proto/x"),
    "read 4 KiB": async () => {
      const b = await op.read("proto/x");
      if (b.length !== 4096 || b[4095] !== 7) throw new Error("bad read");
    },
    "write 4 KiB": (i) => op.write(`proto/w${i % 8}`, data),
  };
  const out: Figures = {};
  const widths = [1, 64];
  for (const [name, f] of Object.entries(kinds)) {
    for (const width of widths) {
      const kind = width > 1 ? `${name} ×${width}` : name;
      for (let i = 0; i < WARMUP; i++) await f(i);
      const t0 = threadCpu();
      const u0 = process.resourceUsage();
      const w0 = performance.now();
      let next = 0;
      const lane = async () => {
        while (next < OPS) await f(next++);
      };
      await Promise.all(Array.from({ length: width }, lane));
      const wall = (performance.now() - w0) * 1000;
      const u1 = process.resourceUsage();
      const t1 = threadCpu();
      out[kind] = [
        (u1.userCPUTime + u1.systemCPUTime - u0.userCPUTime -
          u0.systemCPUTime) / OPS,
        wall / OPS,
        (u1.voluntaryContextSwitches - u0.voluntaryContextSwitches) / OPS,
        (u1.involuntaryContextSwitches - u0.involuntaryContextSwitches) / OPS,
        ...t1.map((t, i) => (t - t0[i]) / OPS),
      ];
    }
  }
  console.log(JSON.stringify(out));
}

// ---------------------------------------------------------------------------
// The parent: builds the shim, starts the server, runs the children.

async function runChild(mode: Mode, server: Server) {
  // The permission decides the module's path: a path-scoped --allow-ffi
  // refuses the callback.
  const flags = mode === "queue"
    ? [`--allow-ffi=${library}`, "--allow-read", "--allow-env", "--allow-net"]
    : ["-A"];
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...flags,
      "--no-lock",
      fileURLToPath(import.meta.url),
      mode,
      JSON.stringify(server.target),
    ],
    env: { OPENDAL_DENO_LIB: library },
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`${mode}: child failed`);
  // The last line: installing npm:opendal on first use prints to stdout.
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  return JSON.parse(lines.at(-1)!) as Figures;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function parent() {
  const server = await startServer();
  const all: Record<Mode, Figures[]> = {
    queue: [],
    callback: [],
    "npm:opendal": [],
  };
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const order = [...MODES.slice(r % 3), ...MODES.slice(0, r % 3)];
      for (const m of order) all[m].push(await runChild(m, server));
      console.error(`round ${r + 1}/${ROUNDS}`);
    }
  } finally {
    await server.stop();
  }
  const kinds = Object.keys(all.queue[0]);
  console.log(
    `Load average (1 min) after: ${Deno.loadavg()[0].toFixed(2)}; ` +
      `${ROUNDS} rounds of ${OPS} requests after ${WARMUP}, medians.\n`,
  );
  console.log(
    "| request | path | client CPU µs | wall µs | voluntary switches | involuntary switches |",
  );
  console.log("| --- | --- | ---: | ---: | ---: | ---: |");
  for (const k of kinds) {
    for (const m of MODES) {
      const v = (i: number) => median(all[m].map((f) => f[k][i]));
      console.log(
        `| ${k} | ${m} | ${v(0).toFixed(0)} | ${v(1).toFixed(0)} | ${
          v(2).toFixed(2)
        } | ${v(3).toFixed(2)} |`,
      );
    }
  }
  console.log(
    `\nClient CPU µs per request by thread (${THREADS.join(", ")}):\n`,
  );
  console.log(`| request | path | ${THREADS.join(" | ")} |`);
  console.log(`| --- | --- |${THREADS.map(() => " ---: |").join("")}`);
  for (const k of kinds) {
    for (const m of MODES) {
      // JSON has no NaN: a process without /proc/self sent null.
      const cells = THREADS.map((_, i) => {
        const xs = all[m].map((f) => f[k][4 + i]);
        return xs.includes(null!) ? "—" : median(xs).toFixed(0);
      });
      console.log(`| ${k} | ${m} | ${cells.join(" | ")} |`);
    }
  }
}

if (import.meta.main) {
  if (Deno.args.length === 2) {
    await child(Deno.args[0] as Mode, JSON.parse(Deno.args[1]) as S3Target);
  } else {
    await parent();
  }
}
