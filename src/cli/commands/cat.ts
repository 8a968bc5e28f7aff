/**
 * `cat`: streams a file to stdout.
 *
 * @module
 */

import type { Command, Context } from "../command.ts";
import { writeAll } from "../format.ts";
import { READ_CHUNK } from "../transfer.ts";

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
      await using reader = await op.reader(loc.path, {
        chunk: READ_CHUNK,
        signal: ctx.signal,
      });
      for await (const chunk of reader.readable) {
        ctx.signal?.throwIfAborted();
        await writeAll(Deno.stdout, chunk);
      }
    }
  },
};
