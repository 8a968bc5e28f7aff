/**
 * `ls`: lists a directory or prefix, sorted, or shows one file.
 *
 * @module
 */

import { OpendalError } from "../../errors.ts";
import type { Entry, Metadata } from "../../metadata.ts";
import type { Operator } from "../../operator.ts";
import type { Command, Context } from "../command.ts";
import { jsonLine, longLine, metadataJson, out } from "../format.ts";
import { asDir, asWritten, isSelf, type Location } from "../location.ts";

/** How many `stat` calls `--long` keeps in flight for entries listed without details. */
const STAT_WINDOW = 16;

/** One line of output: the name to show and what the listing knows. */
interface Row {
  readonly path: string;
  readonly name: string;
  readonly meta: Metadata;
}

/** The entries below `dir` (not `dir` itself), sorted by name as `ls` does. */
async function sortedRows(
  op: Operator,
  dir: string,
  recursive: boolean,
  signal?: AbortSignal,
): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const entry of op.list(dir, { recursive, signal })) {
    if (isSelf(entry.path, dir)) continue;
    rows.push(rowOf(entry, dir));
  }
  // By UTF-16 code units, as `ls` sorts in the C locale: stable, no locale.
  return rows.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

function rowOf(entry: Entry, dir: string): Row {
  const name = entry.path.startsWith(dir)
    ? entry.path.slice(dir.length)
    : entry.name;
  return { path: entry.path, name, meta: entry.metadata };
}

/** Listings may leave out details (size, date) that `--long` shows. */
function partial(meta: Metadata): boolean {
  return meta.isFile && meta.lastModified === undefined;
}

/** `ls [-r] [-l] <uri>` */
export const ls: Command = {
  name: "ls",
  usage: "[-r] [-l] <uri>",
  summary: "list a directory or prefix (or show one file)",
  help:
    `A path ending with "/" is listed as a directory. Without it, a file is shown
as itself, and anything else is listed as the directory "<path>/".
Names are printed relative to the listed directory, sorted; directories end
with "/".

  -r, --recursive   list everything below, not just the direct children
  -l, --long        mode, size, last modified (UTC) and name per line
  --json            one JSON object per line (JSON Lines): path (written as
                    the argument was, so it can be passed back), name, mode,
                    size, lastModified, etag, ...`,
  flags: ["recursive", "long"],
  arity: [1, 1],
  async run(ctx: Context, [arg]: readonly string[]): Promise<void> {
    const { op, loc } = ctx.open(arg);
    const { recursive } = ctx.flags;
    if (!loc.path.endsWith("/") && loc.path !== "") {
      const meta = await op.stat(loc.path).catch((e) => {
        if (e instanceof OpendalError && e.kind === "NotFound") return null;
        throw e;
      });
      if (meta && !meta.isDirectory) {
        return await print(ctx, loc, {
          path: loc.path,
          name: loc.display,
          meta,
        });
      }
    }
    const dir = asDir(loc.path);
    const rows = await sortedRows(op, dir, recursive, ctx.signal);
    // An empty listing of something that does not exist is an error.
    if (rows.length === 0 && dir !== "") await op.stat(dir);
    // --long: fetch missing details a window ahead of what is printed.
    const stats = new Map<Row, Promise<Metadata>>();
    const fetch = (row: Row | undefined) => {
      if (row && ctx.flags.long && partial(row.meta)) {
        const stat = op.stat(row.path, { signal: ctx.signal });
        stat.catch(() => {}); // seen when printed; unseen if printing stops
        stats.set(row, stat);
      }
    };
    rows.slice(0, STAT_WINDOW).forEach(fetch);
    for (const [i, row] of rows.entries()) {
      fetch(rows[i + STAT_WINDOW]);
      const meta = await stats.get(row) ?? row.meta;
      stats.delete(row);
      await print(ctx, loc, { ...row, meta });
    }
  },
};

async function print(ctx: Context, loc: Location, row: Row): Promise<void> {
  if (ctx.flags.json) {
    await out(jsonLine({
      ...metadataJson(asWritten(loc, row.path), row.meta),
      name: row.name,
    }));
  } else if (ctx.flags.long) {
    await out(longLine(row.name, row.meta));
  } else {
    await out(`${row.name}\n`);
  }
}
