/**
 * `ls`: lists a directory or prefix, or shows one file.
 *
 * @module
 */

import { OpendalError } from "../../errors.ts";
import type { Metadata } from "../../metadata.ts";
import type { Operator } from "../../operator.ts";
import type { Command, Context } from "../command.ts";
import { jsonLine, longLine, metadataJson, out } from "../format.ts";
import { asDir, isSelf } from "../location.ts";

/** How many `stat` calls `--long` keeps in flight for entries listed without details. */
const STAT_WINDOW = 16;

/** One line of output: the name to show and what the listing knows. */
interface Row {
  readonly path: string;
  readonly name: string;
  readonly meta: Metadata | Promise<Metadata>;
}

/** Yields the rows of `dir`, skipping the directory itself. */
async function* rows(
  op: Operator,
  dir: string,
  recursive: boolean,
  long: boolean,
  signal?: AbortSignal,
): AsyncGenerator<Row> {
  for await (const entry of op.list(dir, { recursive, signal })) {
    if (isSelf(entry.path, dir)) continue;
    const name = entry.path.startsWith(dir)
      ? entry.path.slice(dir.length)
      : entry.name;
    // Listings may leave out details (size, date); --long asks for them.
    const partial = entry.metadata.isFile &&
      entry.metadata.lastModified === undefined;
    yield {
      path: entry.path,
      name,
      meta: long && partial ? op.stat(entry.path) : entry.metadata,
    };
  }
}

/** `ls [-r] [-l] <uri>` */
export const ls: Command = {
  name: "ls",
  usage: "[-r] [-l] <uri>",
  summary: "list a directory or prefix (or show one file)",
  help:
    `A path ending with "/" is listed as a directory. Without it, a file is shown
as itself, and anything else is listed as the directory "<path>/".
Names are printed relative to the listed directory; directories end with "/".

  -r, --recursive   list everything below, not just the direct children
  -l, --long        mode, size, last modified (UTC) and name per line
  --json            one JSON object per line (JSON Lines): path (full path in
                    the service), name, mode, size, lastModified, etag, ...`,
  flags: ["recursive", "long"],
  arity: [1, 1],
  async run(ctx: Context, [arg]: readonly string[]): Promise<void> {
    const { op, loc } = ctx.open(arg);
    const { json, long, recursive } = ctx.flags;
    const print = async (row: Row): Promise<void> => {
      const meta = await row.meta;
      if (json) {
        await out(
          jsonLine({ ...metadataJson(row.path, meta), name: row.name }),
        );
      } else if (long) {
        await out(longLine(row.name, meta));
      } else {
        await out(`${row.name}\n`);
      }
    };
    let dir = asDir(loc.path);
    if (dir !== loc.path) {
      const meta = await op.stat(loc.path).catch((e) => {
        if (e instanceof OpendalError && e.kind === "NotFound") return null;
        throw e;
      });
      if (meta && !meta.isDirectory) {
        return await print({ path: loc.path, name: loc.display, meta });
      }
    }
    dir = asDir(loc.path);
    let count = 0;
    const pending: Row[] = [];
    for await (const row of rows(op, dir, recursive, long, ctx.signal)) {
      count++;
      pending.push(row);
      if (pending.length >= STAT_WINDOW) await print(pending.shift()!);
    }
    for (const row of pending) await print(row);
    // An empty listing of something that does not exist is an error.
    if (count === 0 && dir !== "") await op.stat(dir);
  },
};
