/**
 * `stat`: the metadata of one file or directory.
 *
 * @module
 */

import { OpendalError } from "../../errors.ts";
import type { Metadata } from "../../metadata.ts";
import type { Operator } from "../../operator.ts";
import type { Command, Context } from "../command.ts";
import { jsonLine, metadataJson, metadataText, out } from "../format.ts";
import { asDir, asWritten } from "../location.ts";

/**
 * `path`'s metadata, or, when no file is there, that of the directory
 * `"<path>/"` (an S3 prefix is only found with its slash), as `ls` reads a
 * path. A path found neither way fails as written.
 */
async function statOrDir(
  op: Operator,
  path: string,
): Promise<{ path: string; meta: Metadata }> {
  try {
    return { path, meta: await op.stat(path) };
  } catch (error) {
    const missing = error instanceof OpendalError && error.kind === "NotFound";
    if (!missing || path === "" || path.endsWith("/")) throw error;
    const dir = asDir(path);
    const meta = await op.stat(dir).catch(() => undefined);
    if (!meta?.isDirectory) throw error;
    return { path: dir, meta };
  }
}

/** `stat <uri>` */
export const stat: Command = {
  name: "stat",
  usage: "<uri>",
  summary: "show the metadata of a file or directory",
  help:
    `Prints one "key: value" per line: path, mode (file, dir, unknown), size in
bytes, lastModified (ISO 8601), and what else the service reports (etag,
contentType, contentMd5, version, userMetadata, ...). A directory is named
with a trailing "/" on services that have no real directories (S3, GCS, ...);
there a path without it that names no file but a prefix is shown as "<path>/".

  --json            one JSON object with the same keys (path as written)`,
  flags: [],
  arity: [1, 1],
  async run(ctx: Context, [arg]: readonly string[]): Promise<void> {
    const { op, loc } = ctx.open(arg);
    const found = await statOrDir(op, loc.path);
    const path = asWritten(loc, found.path);
    const meta = found.meta;
    await out(
      ctx.flags.json
        ? jsonLine(metadataJson(path, meta))
        : metadataText(path, meta),
    );
  },
};
