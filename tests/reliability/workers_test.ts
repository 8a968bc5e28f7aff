/**
 * Workers that end, terminated mid-work or tidily, leave nothing native
 * behind: their queues, operators, readers, writers, listers and layers, and
 * the results of work still in flight, are released when their thread exits
 * (see `rust/src/home.rs`), in a process of their own.
 */

import assert from "node:assert/strict";
import { lastJson, LIB, run, script } from "./subprocess.ts";

interface Round {
  peak: number;
  handles: number;
  ms: number;
}

interface WorkersReport {
  baseline: number;
  warmup: Round;
  busy: Round[];
  tidy: Round;
  committed: number;
  baseRssMiB: number;
  endRssMiB: number;
  growthMiB: number;
}

const repo = decodeURIComponent(new URL("../../", import.meta.url).pathname);

// Growth over three rounds of 25 busy Workers (each with 4 reads of 4 MiB
// in flight, 400 MiB a round) and one tidy round, after a warm-up round.
// Before Workers' objects were reclaimed, each busy round kept every result
// and object: hundreds of MiB and ~8 handles per Worker.
const RSS_BOUND_MIB = 96;

Deno.test("25 busy Workers terminated, then 25 tidy ones, leave the handle count and RSS where they were", async () => {
  const dir = await Deno.makeTempDir({ prefix: "opendal-workers-" });
  try {
    const finished = await run(script("workers.ts"), {
      // Workers read their module files.
      flags: [
        `--allow-ffi=${LIB}`,
        `--allow-read=${repo},${dir}`,
        `--allow-write=${dir}`,
      ],
      args: [dir],
      timeoutMs: 240_000,
    });
    assert.equal(finished.code, 0, finished.stderr);
    const report = lastJson<WorkersReport>(finished);
    console.log(JSON.stringify(report));
    assert.equal(report.baseline, 2, "the queue and the script's operator");
    for (const r of [report.warmup, ...report.busy]) {
      // About 10 objects per Worker, alive when they were terminated.
      assert.ok(r.peak >= report.baseline + 10 * 25, `objects made: ${r.peak}`);
      assert.equal(r.handles, report.baseline, "handles back to the baseline");
    }
    // Tidy Workers close what they made; their queues go with their threads.
    assert.equal(report.tidy.handles, report.baseline, "tidy Workers' queues");
    assert.equal(report.committed, 0, "an unclosed upload was committed");
    assert.ok(
      report.growthMiB < RSS_BOUND_MIB,
      `RSS grew ${report.growthMiB} MiB (bound ${RSS_BOUND_MIB} MiB)`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
