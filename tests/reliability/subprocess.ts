/**
 * Runs a script in its own Deno process with chosen flags and a hard time
 * limit, so a hang fails the test instead of hanging CI.
 *
 * @module
 */

/**
 * The native library, by absolute path: what `--allow-ffi=<lib>` names.
 *
 * @example
 * ```ts ignore
 * await run(script("ops.ts"), { flags: [`--allow-ffi=${LIB}`], args: ["memory"] });
 * ```
 */
export const LIB: string = decodeURIComponent(
  new URL(
    `../../rust/target/release/${
      Deno.build.os === "darwin"
        ? "libopendal_deno.dylib"
        : Deno.build.os === "windows"
        ? "opendal_deno.dll"
        : "libopendal_deno.so"
    }`,
    import.meta.url,
  ).pathname,
);

/**
 * The absolute path of `tests/reliability/scripts/<name>`.
 *
 * @example
 * ```ts ignore
 * console.log(script("idle.ts")); // /.../tests/reliability/scripts/idle.ts
 * ```
 */
export function script(name: string): string {
  return decodeURIComponent(
    new URL(`scripts/${name}`, import.meta.url).pathname,
  );
}

/** How a script run ended. */
export interface Finished {
  /** Exit code (137 or similar when killed). */
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, in milliseconds. */
  ms: number;
  /** `Date.now()` when the exit was seen. */
  exitedAt: number;
  /** Whether the time limit killed it. */
  timedOut: boolean;
}

/** What to run. */
export interface RunOptions {
  /** Permission and V8 flags, placed before the script. */
  flags?: string[];
  /** Arguments after the script. */
  args?: string[];
  /** Kill the process after this long (default 60 s). */
  timeoutMs?: number;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/**
 * Runs `deno run --no-prompt <flags> <path> <args>` and waits for it; past
 * `timeoutMs` the process is killed and `timedOut` is true.
 *
 * @example
 * ```ts ignore
 * const finished = await run(script("empty.ts"), { timeoutMs: 10_000 });
 * console.log(finished.code, finished.timedOut); // 0 false
 * ```
 */
export async function run(
  path: string,
  options: RunOptions = {},
): Promise<Finished> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--no-lock",
      ...(options.flags ?? []),
      path,
      ...(options.args ?? []),
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...options.env },
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? 60_000);
  try {
    const out = await child.output();
    const exitedAt = Date.now();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return {
      code: out.code,
      stdout: decode(out.stdout),
      stderr: decode(out.stderr),
      ms: performance.now() - started,
      exitedAt,
      timedOut,
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The last line of `stdout` that parses as JSON; throws with the output
 * when there is none.
 *
 * @example
 * ```ts ignore
 * const result = lastJson<{ served: string }>(await run(script("ops.ts")));
 * ```
 */
export function lastJson<T>(finished: Finished): T {
  const lines = finished.stdout.trim().split("\n").reverse();
  for (const line of lines) {
    try {
      return JSON.parse(line) as T;
    } catch {
      // Not the result line.
    }
  }
  throw new Error(
    `no JSON result (exit ${finished.code}, timed out: ${finished.timedOut})\n` +
      `stdout:\n${finished.stdout}\nstderr:\n${finished.stderr}`,
  );
}
