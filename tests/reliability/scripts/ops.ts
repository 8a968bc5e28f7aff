/**
 * A round of everyday operations, for permission tests:
 * `deno run <flags> ops.ts memory`, `ops.ts fs <dir>` or `ops.ts http <endpoint>`.
 * Prints one JSON line with what it read back.
 */

import type { Operator } from "../../../mod.ts";
import { FsOperator } from "../../../services/fs.ts";
import { HttpOperator } from "../../../services/http.ts";
import { MemoryOperator } from "../../../services/memory.ts";

const [scheme, target] = Deno.args;

async function readWriteList(op: Operator): Promise<Record<string, unknown>> {
  op.writeSync("sync.txt", "written sync");
  await op.write("dir/async.txt", "written async");
  const writer = await op.writer("dir/chunks.txt");
  await writer.write("a");
  await writer.write("b");
  await writer.close();
  // fs lists the directory itself too; memory does not.
  const listed = (await Array.fromAsync(op.list("dir/"))).map((e) => e.path)
    .filter((path) => path !== "dir/").sort();
  return {
    sync: op.readTextSync("sync.txt"),
    async: await op.readText("dir/async.txt"),
    chunks: await op.readText("dir/chunks.txt"),
    listed,
  };
}

let result: Record<string, unknown>;
if (scheme === "memory") {
  result = await readWriteList(new MemoryOperator());
} else if (scheme === "fs") {
  result = await readWriteList(new FsOperator({ root: target }));
} else if (scheme === "http") {
  const op = new HttpOperator({ endpoint: target });
  result = { served: await op.readText("any.txt") };
} else {
  throw new Error(`unknown scheme ${scheme}`);
}
console.log(JSON.stringify(result));
