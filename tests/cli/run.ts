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
 * `env` added to this process's environment.
 */
export async function cli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; stdin?: string } = {},
): Promise<Outcome> {
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-ffi", "--allow-env", CLI, ...args],
    cwd: options.cwd,
    env: { NO_COLOR: "1", ...options.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await command.output();
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
