/**
 * Reads from an http endpoint that accepts connections and never answers.
 * `deno run --allow-ffi=<lib> hang.ts <endpoint> <how>`, where `how` is:
 * - `timeout`: a `TimeoutLayer` of 500 ms bounds the read (`ioTimeout`: a
 *   read's request runs in the reader, OpenDAL's I/O phase);
 * - `signal`: `AbortSignal.timeout(500)` cancels it;
 * - `exit`: the read is left running and `Deno.exit(3)` ends the script;
 * - `throw`: the read is left running and an uncaught error ends the script;
 * - `none`: nothing bounds the read (it keeps the process alive, as a
 *   pending `fetch` does).
 * Prints the outcome as one JSON line.
 */

import { HttpOperator } from "../../../services/http.ts";
import { TimeoutLayer } from "../../../layers/timeout.ts";
import { OpendalError } from "../../../mod.ts";

const [endpoint, how] = Deno.args;
let op = new HttpOperator({ endpoint });
if (how === "timeout") {
  op = op.layer(new TimeoutLayer({ timeout: 500, ioTimeout: 500 }));
}

function report(outcome: Record<string, unknown>): void {
  console.log(JSON.stringify(outcome));
}

const started = performance.now();
const read = op.read("never.txt", {
  signal: how === "signal" ? AbortSignal.timeout(500) : undefined,
});
if (how === "exit") {
  setTimeout(() => Deno.exit(3), 300);
} else if (how === "throw") {
  setTimeout(() => {
    throw new Error("the script gave up");
  }, 300);
} else {
  try {
    await read;
    report({ outcome: "read" });
  } catch (e) {
    report({
      outcome: "error",
      name: (e as Error).name,
      kind: e instanceof OpendalError ? e.kind : undefined,
      message: (e as Error).message,
      ms: Math.round(performance.now() - started),
    });
  }
}
