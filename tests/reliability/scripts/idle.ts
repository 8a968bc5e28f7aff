/**
 * Does sync and async work (all awaited) and leaves an operator open: with
 * nothing in flight the process must exit at once. Prints `Date.now()` as
 * its last act, so the caller can time the exit alone.
 * `deno run --allow-ffi=<lib> idle.ts <dir>`
 */

import { MemoryOperator } from "../../../services/memory.ts";
import { FsOperator } from "../../../services/fs.ts";

const op = new MemoryOperator();
op.writeSync("a.txt", "hello");
await op.write("b.txt", "world");
await op.read("a.txt");
await Promise.all(
  Array.from({ length: 50 }, (_, i) => op.stat(i % 2 ? "a.txt" : "b.txt")),
);
// fs goes through the completion queue (the pump) rather than finishing inline.
const fs = new FsOperator({ root: Deno.args[0] });
await Promise.all(Array.from({ length: 50 }, (_, i) => fs.write(`${i}`, "x")));
console.log(Date.now());
