/**
 * The S3 server of bench/s3.ts: versitygw (Versity's S3 gateway, in Go) over
 * a directory of plain files, on a free port of 127.0.0.1, with keep-alive
 * on as real S3 has it. bench/install_versitygw.sh builds it on first use.
 *
 * Why versitygw: the benchmark measures client cost, so the server must be
 * cheap per request and keep up with every client. bench/RESULTS.md has the
 * numbers against moto (the tests' server), which costs several times more
 * per request. Objects are plain files, so puts are checked on disk without
 * trusting any client.
 *
 * @module
 */

import type { S3Target } from "./s3_clients.ts";

/** A running server. */
export interface Server {
  target: S3Target;
  /** Where objects live: `<dataDir>/<bucket>/<key>`. */
  dataDir: string;
  /** The server's process id (to measure its CPU time). */
  pid: number;
  stop(): Promise<void>;
}

const here = new URL(".", import.meta.url).pathname;

/** Builds versitygw if needed; its path. */
async function binary(): Promise<string> {
  const out = await new Deno.Command("bash", {
    args: [`${here}install_versitygw.sh`],
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error("could not build versitygw");
  return new TextDecoder().decode(out.stdout).trim();
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = l.addr as Deno.NetAddr;
  l.close();
  return port;
}

/** Starts versitygw with `bucket` created, in a fresh temporary directory. */
export async function startServer(bucket = "bench"): Promise<Server> {
  const bin = await binary();
  const root = await Deno.makeTempDir({ prefix: "opendal-bench-s3-" });
  const dataDir = `${root}/data`;
  // A bucket is a directory of the root: versitygw serves what it finds.
  await Deno.mkdir(`${dataDir}/${bucket}`, { recursive: true });
  const port = freePort();
  const target: S3Target = {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region: "us-east-1",
    accessKeyId: "bench",
    secretAccessKey: "bench-secret",
  };
  const child = new Deno.Command(bin, {
    args: [
      "--access",
      target.accessKeyId,
      "--secret",
      target.secretAccessKey,
      "--region",
      target.region,
      "--port",
      `127.0.0.1:${port}`,
      "--keep-alive",
      "--quiet",
      "posix",
      dataDir,
    ],
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
    await Deno.remove(root, { recursive: true });
  };
  try {
    await ready(target);
  } catch (e) {
    await stop();
    throw e;
  }
  return { target, dataDir, pid: child.pid, stop };
}

/** Waits until the server answers HTTP (any status), for up to 30 s. */
async function ready(t: S3Target): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`${t.endpoint}/`);
      await res.body?.cancel();
      return;
    } catch (e) {
      if (Date.now() > deadline) {
        throw new Error(`versitygw did not start at ${t.endpoint}: ${e}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
