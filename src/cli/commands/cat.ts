/**
 * `cat`: streams a file to stdout.
 *
 * @module
 */

import type { Command, Context } from "../command.ts";
import { READ_CHUNK, toStdout } from "../transfer.ts";

/** `cat <uri>...` */
export const cat: Command = {
  name: "cat",
  usage: "<uri>...",
  summary: "stream files to stdout",
  help: `Streams each file in turn to stdout, in ${
    READ_CHUNK / 1024 / 1024
  } MiB reads, without holding it in memory.`,
  flags: [],
  arity: [1, Infinity],
  async run(ctx: Context, args: readonly string[]): Promise<void> {
    for (const arg of args) {
      const { op, loc } = ctx.open(arg);
      await toStdout(op, loc.path, ctx.signal);
    }
  },
};
