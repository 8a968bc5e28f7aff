/**
 * The local filesystem service.
 *
 * @example
 * ```ts
 * import { FsOperator } from "@opendal/core/services/fs";
 *
 * const root = await Deno.makeTempDir();
 * using op = new FsOperator({ root });
 * await op.write("notes/today.txt", "hello");
 * console.log(await Deno.readTextFile(`${root}/notes/today.txt`)); // hello
 * ```
 *
 * @module
 */

import { Operator } from "../mod.ts";
import { toConfig } from "../src/config.ts";

/** Options of the fs service. */
export interface FsOptions {
  /** The directory every path is relative to (created if missing). */
  root?: string;
  /** A directory for temporary files, so writes appear atomically at the end. */
  atomicWriteDir?: string;
}

/**
 * An operator on the local filesystem. Needs `--allow-ffi` only: the native
 * library does the file I/O, so Deno's `--allow-read`/`--allow-write` do not
 * apply to it.
 *
 * @example
 * ```ts
 * import { FsOperator } from "@opendal/core/services/fs";
 *
 * using op = new FsOperator({ root: await Deno.makeTempDir() });
 * await op.write("a.txt", "A");
 * console.log(op.existsSync("a.txt")); // true
 * ```
 */
export class FsOperator extends Operator {
  /** Opens the filesystem at `options.root`. */
  constructor(options: FsOptions = {}) {
    super("fs", toConfig(options));
  }
}
