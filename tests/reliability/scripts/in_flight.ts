/**
 * Ends with 100 writes and 100 reads on fs still in flight, none awaited:
 * the process must finish them before it exits.
 * `deno run --allow-ffi=<lib> in_flight.ts <dir>`; `<dir>/seed.txt` exists.
 * Prints one line per finished read.
 */

import { FsOperator } from "../../../services/fs.ts";

const op = new FsOperator({ root: Deno.args[0] });
for (let i = 0; i < 100; i++) {
  op.write(`out/${i}.txt`, `payload ${i} `.repeat(1000));
  op.readText("seed.txt").then((text) =>
    console.log(`read ${i} ${text.length}`)
  );
}
console.log("script end");
