/**
 * `rm`: deletes files, or with `-r` everything below a directory or prefix.
 *
 * @module
 */

import { OpendalError } from "../../errors.ts";
import type { Command, Context } from "../command.ts";
import { UsageError } from "../exit.ts";
import { jsonLine, out } from "../format.ts";
import { asDir, asWritten, isSelf } from "../location.ts";

/** `rm [-r] [-f] <uri>...` */
export const rm: Command = {
  name: "rm",
  usage: "[-r] [-f] <uri>...",
  summary: "delete files (or directories and prefixes with -r)",
  help:
    `Deleting what does not exist fails with NotFound (exit code 3) unless -f.

  -r, --recursive   delete a directory or prefix and everything below it
  -f, --force       succeed when nothing is there
  --json            one JSON object per argument: {"deleted": path as written}`,
  flags: ["recursive", "force"],
  arity: [1, Infinity],
  async run(ctx: Context, args: readonly string[]): Promise<void> {
    for (const arg of args) {
      const { op, loc } = ctx.open(arg);
      const { recursive, force } = ctx.flags;
      const path = loc.path;
      let dir: boolean;
      try {
        dir = path === "" || (await op.stat(path)).isDirectory;
      } catch (e) {
        if (!(e instanceof OpendalError && e.kind === "NotFound")) throw e;
        // Object stores: a prefix with no object of its own name.
        const prefix = recursive && await hasEntries(ctx, arg);
        if (!prefix) {
          if (force) continue;
          throw e;
        }
        dir = true;
      }
      if (dir && !recursive) {
        throw new UsageError(`${loc.display} is a directory: use -r`);
      }
      if (dir) await op.removeAll(asDir(path));
      else await op.delete(path);
      if (ctx.flags.json) {
        const deleted = asWritten(loc, dir ? asDir(path) : path);
        await out(jsonLine({ deleted }));
      }
    }
  },
};

async function hasEntries(ctx: Context, arg: string): Promise<boolean> {
  const { op, loc } = ctx.open(arg);
  const dir = asDir(loc.path);
  for await (const entry of op.list(dir)) {
    if (!isSelf(entry.path, dir)) return true;
  }
  return false;
}
