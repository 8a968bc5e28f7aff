/**
 * Runs the command-line tool as a subprocess, as a user would.
 *
 * @module
 */

/** The path of cli.ts. */
export const CLI = new URL("../../cli.ts", import.meta.url).pathname;

/** What one run of the tool did. */
export interface Outcome {
  /** The exit code. */
  readonly code: number;
  /** Everything on stdout, as bytes. */
  readonly bytes: Uint8Array;
  /** stdout as text. */
  readonly stdout: string;
  /** stderr as text. */
  readonly stderr: string;
}

/**
 * Runs `deno run --allow-ffi --allow-env cli.ts ...args` in `cwd`, with
 * `env` added to this process's environment and `stdin` (if given) as its
 * standard input.
 */
export async function cli(
  args: readonly string[],
  options: {
    cwd?: string;
    env?: Record<string, string>;
    stdin?: string | Uint8Array;
  } = {},
): Promise<Outcome> {
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-ffi", "--allow-env", CLI, ...args],
    cwd: options.cwd,
    env: { NO_COLOR: "1", ...options.env },
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  });
  const child = command.spawn();
  // Collected while stdin is written: a full stdout pipe must not block it.
  const output = child.output();
  if (options.stdin !== undefined) {
    const input = typeof options.stdin === "string"
      ? new TextEncoder().encode(options.stdin)
      : options.stdin;
    const writer = child.stdin.getWriter();
    await writer.write(input);
    await writer.close();
  }
  const { code, stdout, stderr } = await output;
  const decoder = new TextDecoder();
  return {
    code,
    bytes: stdout,
    stdout: decoder.decode(stdout),
    stderr: decoder.decode(stderr),
  };
}

/** The JSON documents of a JSON Lines output. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text.split("\n").filter((l) => l.trim() !== "").map((l) =>
    JSON.parse(l)
  );
}
