/**
 * `stat`: the metadata of one file or directory.
 *
 * @module
 */

import type { Command, Context } from "../command.ts";
import { jsonLine, metadataJson, metadataText, out } from "../format.ts";
import { asWritten } from "../location.ts";

/** `stat <uri>` */
export const stat: Command = {
  name: "stat",
  usage: "<uri>",
  summary: "show the metadata of a file or directory",
  help:
    `Prints one "key: value" per line: path, mode (file, dir, unknown), size in
bytes, lastModified (ISO 8601), and what else the service reports (etag,
contentType, contentMd5, version, userMetadata, ...). A directory is named
with a trailing "/" on services that have no real directories (S3, GCS, ...).

  --json            one JSON object with the same keys (path as written)`,
  flags: [],
  arity: [1, 1],
  async run(ctx: Context, [arg]: readonly string[]): Promise<void> {
    const { op, loc } = ctx.open(arg);
    const meta = await op.stat(loc.path);
    const path = asWritten(loc, loc.path);
    await out(
      ctx.flags.json
        ? jsonLine(metadataJson(path, meta))
        : metadataText(path, meta),
    );
  },
};
