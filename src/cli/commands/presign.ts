/**
 * `presign`: a signed URL that lets anyone holding it read, write, stat or
 * delete one object until it expires.
 *
 * @module
 */

import type { PresignedRequest } from "../../operator.ts";
import type { Command, Context } from "../command.ts";
import { UsageError } from "../exit.ts";
import { jsonLine, out } from "../format.ts";

const KINDS = ["read", "write", "stat", "delete"] as const;

/** `presign <read|write|stat|delete> <uri> [--expire seconds]` */
export const presign: Command = {
  name: "presign",
  usage: "<read|write|stat|delete> <uri> [--expire <seconds>]",
  summary: "print a presigned URL (S3, GCS, Azure Blob with a SAS, ...)",
  help:
    `Prints the URL on the first line, then any header the request must carry as
"Name: value" lines. read is a GET, write a PUT, stat a HEAD, delete a
DELETE. Services that cannot sign fail with Unsupported.

  --expire <s>      seconds the URL stays valid (default 3600)
  --json            {"method": ..., "url": ..., "headers": {...}}`,
  flags: ["expire"],
  arity: [2, 2],
  async run(ctx: Context, [kind, arg]: readonly string[]): Promise<void> {
    if (!(KINDS as readonly string[]).includes(kind)) {
      throw new UsageError(
        `presign: the first argument must be one of ${
          KINDS.join(", ")
        }, got "${kind}"`,
      );
    }
    const { op, loc } = ctx.open(arg);
    const seconds = ctx.flags.expire;
    let req: PresignedRequest;
    switch (kind as typeof KINDS[number]) {
      case "read":
        req = await op.presignRead(loc.path, seconds);
        break;
      case "write":
        req = await op.presignWrite(loc.path, seconds);
        break;
      case "stat":
        req = await op.presignStat(loc.path, seconds);
        break;
      case "delete":
        req = await op.presignDelete(loc.path, seconds);
        break;
    }
    if (ctx.flags.json) return await out(jsonLine(req));
    const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${v}\n`);
    await out(`${req.url}\n${headers.join("")}`);
  },
};
