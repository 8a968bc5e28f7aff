/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
/**
 * The Worker of `workers_test.ts`: reports which library and queue it uses,
 * or runs logged operations and reports the lines its own sink received.
 */

import { diagnostics } from "../../mod.ts";
import { MemoryOperator } from "../../services/memory.ts";
import { LoggingLayer, type LogRecord } from "../../layers/logging.ts";

self.onmessage = async (e: MessageEvent<{ task: string; count: number }>) => {
  if (e.data.task === "identify") {
    using _op = new MemoryOperator();
    const { library, queue } = diagnostics();
    postMessage({ library, queue });
    return;
  }
  const lines: LogRecord[] = [];
  using op = new MemoryOperator().layer(
    new LoggingLayer({ sink: (r) => lines.push(r) }),
  );
  for (let i = 0; i < e.data.count; i++) {
    await op.write(`worker-${i}`, "x");
    await op.stat(`worker-${i}`);
  }
  postMessage(lines.map((l) => l.message));
};
