/**
 * Exit behaviour, each case in its own process under a hard time limit:
 * work in flight at the end of a script is finished before exit, an idle
 * script exits as fast as an empty one (no pump keeps the event loop
 * alive), and an operation that never completes cannot hang a script that
 * bounds it, exits, or throws.
 */

import assert from "node:assert/strict";
import { type Finished, lastJson, LIB, run, script } from "./subprocess.ts";

const FFI = `--allow-ffi=${LIB}`;

// A bare --allow-ffi takes completions through the library's notifier (a
// thread-safe callback, ref'd only while work is pending); a path-scoped one
// through the queue. Each must finish work in flight and let an idle script go.
const PATHS = { queue: FFI, callback: "--allow-ffi" } as const;

for (const [path, flag] of Object.entries(PATHS)) {
  Deno.test(`${path}: operations in flight when a script ends are finished before exit`, async () => {
    await inFlight(flag);
  });
}

async function inFlight(flag: string) {
  const dir = await Deno.makeTempDir({ prefix: "opendal-exit-" });
  try {
    await Deno.writeTextFile(`${dir}/seed.txt`, "seed!");
    const finished = await run(script("in_flight.ts"), {
      flags: [flag],
      args: [dir],
      timeoutMs: 30_000,
    });
    const lines = finished.stdout.trim().split("\n");
    // A hang says how far the script got: which operations never settled.
    assert.equal(
      finished.timedOut,
      false,
      `the script hung after ${lines.length} lines of output; the last: ` +
        `${lines.slice(-3).join(" | ")}; stderr: ${
          finished.stderr.slice(-500)
        }`,
    );
    assert.equal(finished.code, 0, finished.stderr);
    assert.equal(lines[0], "script end", "nothing was awaited");
    const reads = lines.filter((l) => l.startsWith("read "));
    assert.equal(reads.length, 100, "every read settled");
    assert.ok(reads.every((l) => l.endsWith(" 5")));
    for (let i = 0; i < 100; i++) {
      const text = await Deno.readTextFile(`${dir}/out/${i}.txt`);
      assert.equal(text, `payload ${i} `.repeat(1000), `out/${i}.txt`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Median of `runs` exit latencies: the script's last `Date.now()` to exit. */
async function exitLatency(name: string, flags: string[], args: string[]) {
  const gaps: number[] = [];
  for (let i = 0; i < 3; i++) {
    const finished = await run(script(name), {
      flags,
      args,
      timeoutMs: 20_000,
    });
    assert.equal(finished.timedOut, false, `${name} did not exit`);
    assert.equal(finished.code, 0, finished.stderr);
    gaps.push(finished.exitedAt - Number(finished.stdout.trim()));
  }
  return gaps.sort((a, b) => a - b)[1];
}

Deno.test("a script with nothing in flight exits as promptly as an empty one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "opendal-idle-" });
  try {
    const empty = await exitLatency("empty.ts", [], []);
    for (const [path, flag] of Object.entries(PATHS)) {
      const idle = await exitLatency("idle.ts", [flag], [dir]);
      console.log(
        `exit latency: empty script ${empty} ms, idle script (${path}) ${idle} ms`,
      );
      // A pump left armed, or a callback left ref'd, would keep the process
      // alive until the time limit.
      assert.ok(
        idle < empty + 500,
        `${path}: idle exit took ${idle} ms vs ${empty} ms`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * A server that accepts connections and never answers them, so a request
 * to it hangs until the client gives up.
 */
class SilentServer implements AsyncDisposable {
  readonly #listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  readonly #conns: Deno.Conn[] = [];
  readonly #accepting: Promise<void>;

  constructor() {
    this.#accepting = (async () => {
      try {
        for await (const conn of this.#listener) this.#conns.push(conn);
      } catch {
        // Closed.
      }
    })();
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.#listener.addr.port}`;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#listener.close();
    await this.#accepting;
    for (const conn of this.#conns) conn.close();
  }
}

function hang(
  endpoint: string,
  how: string,
  timeoutMs = 15_000,
): Promise<Finished> {
  return run(script("hang.ts"), {
    flags: [FFI],
    args: [endpoint, how],
    timeoutMs,
  });
}

interface HangOutcome {
  outcome: string;
  name: string;
  kind?: string;
  message: string;
  ms: number;
}

Deno.test("a hanging operation: TimeoutLayer fails it and the script exits", async () => {
  await using server = new SilentServer();
  const finished = await hang(server.endpoint, "timeout");
  assert.equal(finished.timedOut, false, "the script hung");
  assert.equal(finished.code, 0, finished.stderr);
  const result = lastJson<HangOutcome>(finished);
  assert.equal(result.outcome, "error");
  assert.equal(result.kind, "Unexpected");
  assert.match(result.message, /timeout/);
  assert.ok(
    result.ms >= 450 && result.ms < 5_000,
    `failed after ${result.ms} ms`,
  );
});

Deno.test("a hanging operation: an AbortSignal cancels it and the script exits", async () => {
  await using server = new SilentServer();
  const finished = await hang(server.endpoint, "signal");
  assert.equal(finished.timedOut, false, "the script hung");
  assert.equal(finished.code, 0, finished.stderr);
  const result = lastJson<HangOutcome>(finished);
  assert.equal(result.outcome, "error");
  assert.equal(result.name, "TimeoutError", "the signal's reason");
  assert.ok(
    result.ms >= 450 && result.ms < 5_000,
    `failed after ${result.ms} ms`,
  );
});

Deno.test("a hanging operation does not block Deno.exit()", async () => {
  await using server = new SilentServer();
  const finished = await hang(server.endpoint, "exit");
  assert.equal(finished.timedOut, false, "the script hung");
  assert.equal(finished.code, 3);
  assert.ok(finished.ms < 10_000, `exit took ${finished.ms} ms`);
});

Deno.test("a hanging operation does not block exit on an uncaught error", async () => {
  await using server = new SilentServer();
  const finished = await hang(server.endpoint, "throw");
  assert.equal(finished.timedOut, false, "the script hung");
  assert.equal(finished.code, 1);
  assert.match(finished.stderr, /the script gave up/);
});

Deno.test("an unbounded hanging operation keeps the script alive, as a pending fetch does", async () => {
  await using server = new SilentServer();
  // Nothing bounds it, so the process waits for the answer: the test ends it.
  const finished = await hang(server.endpoint, "none", 3_000);
  assert.equal(
    finished.timedOut,
    true,
    `exited: ${finished.stdout}${finished.stderr}`,
  );
});

Deno.test("writers still open at Deno.exit() or the end of a script leave no staged file", async () => {
  for (const how of ["exit", "end"]) {
    const dir = await Deno.makeTempDir({ prefix: "opendal-exit-writer-" });
    try {
      const finished = await run(script("exit_writer.ts"), {
        flags: [FFI],
        args: [dir, how],
        timeoutMs: 30_000,
      });
      assert.equal(finished.timedOut, false, `${how}: the script hung`);
      assert.equal(finished.code, 0, finished.stderr);
      const files: string[] = [];
      const walk = async (at: string) => {
        for await (const e of Deno.readDir(`${dir}/${at}`)) {
          if (e.isDirectory) await walk(`${at}${e.name}/`);
          else files.push(`${at}${e.name}`);
        }
      };
      await walk("");
      assert.deepEqual(files, ["plain/committed.txt"], how);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});
