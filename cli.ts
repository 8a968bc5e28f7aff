/**
 * `opendal`, a command-line tool over this module: `ls`, `stat`, `cat`,
 * `cp`, `mv`, `rm` and `presign` on any service, addressed by URI
 * (`s3://bucket/key`, `fs:///tmp/x` or a plain local path, `memory://`,
 * `azblob://container/path`, `gcs://bucket/path`, `webdav://host:port/path`,
 * `redis://host:port/key`, ...). Service options come from
 * `OPENDAL_<SCHEME>_<KEY>` environment variables and `-o key=value` flags.
 * `cp` streams between any two services and draws a progress bar on stderr;
 * `--json` prints machine-readable output.
 *
 * ```sh
 * deno run --allow-ffi --allow-env jsr:@opendal/core/cli --help
 * deno run --allow-ffi --allow-env jsr:@opendal/core/cli cp ./big.iso s3://backups/big.iso
 * ```
 *
 * Exit codes: 0 ok, 1 failed, 2 bad command line or config, 3 not found,
 * 130 interrupted (Ctrl-C aborts the running operation: a staged upload is
 * discarded, not committed).
 *
 * @example Run it from code
 * ```ts
 * import { main } from "@opendal/core/cli";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/hello.txt`, "Hello!");
 * const code = await main(["cat", `${dir}/hello.txt`]); // prints Hello!
 * console.log(code); // 0
 * ```
 *
 * @module
 */

import { run } from "./src/cli/main.ts";
import { EXIT } from "./src/cli/exit.ts";

/**
 * The tool's exit codes: `ok` 0, `error` 1, `usage` 2 (bad command line or
 * `ConfigInvalid`), `notFound` 3 (`NotFound`), `interrupted` 130.
 *
 * @example
 * ```ts
 * import { EXIT_CODES, main } from "@opendal/core/cli";
 *
 * const code = await main(["stat", "/no/such/file"]);
 * console.log(code === EXIT_CODES.notFound); // true
 * ```
 */
export const EXIT_CODES: Readonly<
  { ok: 0; error: 1; usage: 2; notFound: 3; interrupted: 130 }
> = EXIT;

/** Options of `main`. */
export interface MainOptions {
  /** Aborting it stops the running command, which then resolves to 130. */
  signal?: AbortSignal;
}

/**
 * Runs the tool with `args` (what `Deno.args` holds: a command, its flags
 * and URIs). Writes the output to stdout and errors and progress to stderr,
 * and resolves to the exit code instead of exiting; it never throws.
 * `options.signal` interrupts it, as Ctrl-C does on the command line.
 *
 * @example
 * ```ts
 * import { main } from "@opendal/core/cli";
 *
 * const code = await main(["ls", "--json", "memory://"]);
 * console.log(code); // 0
 * ```
 */
export function main(
  args: readonly string[],
  options: MainOptions = {},
): Promise<number> {
  return run(args, options.signal);
}

if (import.meta.main) {
  const controller = new AbortController();
  Deno.addSignalListener("SIGINT", () => {
    // A second Ctrl-C does not wait for the cleanup.
    if (controller.signal.aborted) Deno.exit(EXIT.interrupted);
    controller.abort(new DOMException("interrupted", "AbortError"));
    // A write stuck on a full pipe never sees the signal: exit regardless.
    setTimeout(() => {
      Deno.stderr.writeSync(
        new TextEncoder().encode("error: AbortError: interrupted\n"),
      );
      Deno.exit(EXIT.interrupted);
    }, 3000);
  });
  Deno.exit(await main(Deno.args, { signal: controller.signal }));
}
