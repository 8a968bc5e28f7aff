/**
 * Servers the fault tests own: each runs on a free port with its state in a
 * temp dir, and is killed, frozen or restarted by its exact pid, so a test can
 * break it without touching the shared servers on the fixed ports.
 *
 * @example
 * ```ts ignore
 * import { startRedis } from "./servers.ts";
 *
 * await using redis = await startRedis();
 * await redis.kill(); // SIGKILL, like a crash
 * await redis.start(); // same port, same dir
 * ```
 *
 * @module
 */

/**
 * Where `scripts/services/install.sh` put the servers from npm and PyPI.
 *
 * @example
 * ```ts ignore
 * const moto = `${SERVICES_HOME}/venv/bin/moto_server`;
 * ```
 */
export const SERVICES_HOME = Deno.env.get("OPENDAL_SERVICES_HOME") ??
  `${Deno.env.get("HOME")}/.cache/opendal-deno/services`;

/**
 * A TCP port nothing listens on right now.
 *
 * @example
 * ```ts ignore
 * const port = freePort();
 * ```
 */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

/**
 * How to run and check one kind of server.
 *
 * @example
 * ```ts ignore
 * const spec: ServerSpec = {
 *   name: "redis",
 *   command: (port, dir) => ["redis-server", "--port", String(port), "--dir", dir],
 *   ready: async (port) => (await Deno.connect({ port })).close() === undefined,
 * };
 * ```
 */
export interface ServerSpec {
  /** For messages and the log file's name. */
  name: string;
  /** The command line, for the port and the server's state dir. */
  command(port: number, dir: string): string[];
  /** True once the server really answers. */
  ready(port: number): Promise<boolean>;
  /** Runs once, after the first start (buckets, tables). */
  provision?(port: number, dir: string): Promise<void>;
  /** Extra environment for the server. */
  env?: Record<string, string>;
  /** The signal for a clean stop (default SIGTERM). */
  stopSignal?: Deno.Signal;
}

/**
 * One server process this test started. `start()` again after `kill()` runs
 * it on the same port with the same state dir.
 *
 * @example
 * ```ts ignore
 * import { ManagedServer, startMoto } from "./servers.ts";
 *
 * await using s3: ManagedServer = await startMoto();
 * s3.freeze(); // SIGSTOP: connections stay open, nothing answers
 * s3.thaw(); // SIGCONT
 * ```
 */
export class ManagedServer implements AsyncDisposable {
  readonly port: number;
  readonly dir: string;
  readonly log: string;
  #spec: ServerSpec;
  #child?: Deno.ChildProcess;
  #exited?: Promise<Deno.CommandStatus>;
  #provisioned = false;

  constructor(spec: ServerSpec, dir: string, port = freePort()) {
    this.#spec = spec;
    this.dir = dir;
    this.port = port;
    this.log = `${dir}/${spec.name}.log`;
  }

  /** The running server's pid (the server itself, not a wrapper). */
  get pid(): number {
    if (!this.#child) throw new Error(`${this.#spec.name} is not running`);
    return this.#child.pid;
  }

  /** Whether the process is running (frozen counts as running). */
  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Spawns the server and waits until it answers (at most `timeoutMs`). */
  async start(timeoutMs = 30_000): Promise<void> {
    if (this.#child) throw new Error(`${this.#spec.name} is already running`);
    const argv = this.#spec.command(this.port, this.dir);
    // `exec` keeps the pid: the shell only points stdout/stderr at the log.
    const child = new Deno.Command("bash", {
      args: ["-c", 'exec "$@" >>"$0" 2>&1', this.log, ...argv],
      env: this.#spec.env,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    this.#child = child;
    this.#exited = child.status;
    let exited = false;
    this.#exited.then(() => exited = true);
    const deadline = Date.now() + timeoutMs;
    while (!(await this.#spec.ready(this.port).catch(() => false))) {
      if (exited || Date.now() > deadline) {
        if (!exited) child.kill("SIGKILL");
        await this.#exited;
        this.#child = undefined;
        const tail = (await Deno.readTextFile(this.log).catch(() => ""))
          .split("\n").slice(-20).join("\n");
        throw new Error(
          `${this.#spec.name} on port ${this.port} ${
            exited ? "exited" : "did not answer"
          } while starting; log:\n${tail}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!this.#provisioned) {
      await this.#spec.provision?.(this.port, this.dir);
      this.#provisioned = true;
    }
  }

  /** Sends `signal` (default SIGKILL, a crash) and waits for the exit. */
  async kill(signal: Deno.Signal = "SIGKILL"): Promise<void> {
    const child = this.#child;
    if (!child) return;
    child.kill(signal);
    // A frozen process handles no signal but SIGKILL until it runs again.
    if (signal !== "SIGKILL") child.kill("SIGCONT");
    await this.#exited;
    this.#child = undefined;
  }

  /** SIGSTOP: the server keeps its sockets and state but answers nothing. */
  freeze(): void {
    this.#child?.kill("SIGSTOP");
  }

  /** SIGCONT: a frozen server carries on where it stopped. */
  thaw(): void {
    this.#child?.kill("SIGCONT");
  }

  /** Stops the server cleanly, then SIGKILLs it after 10 s. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    try {
      await this.kill(this.#spec.stopSignal ?? "SIGTERM");
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops the server and removes its state dir. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }
}

/** Starts `spec` on a free port with a fresh temp dir, set up by `init`. */
async function launch(
  spec: ServerSpec,
  init?: (dir: string) => Promise<void>,
): Promise<ManagedServer> {
  const dir = await Deno.makeTempDir({
    prefix: `opendal-faults-${spec.name}-`,
  });
  const server = new ManagedServer(spec, dir);
  try {
    await init?.(dir);
    await server.start();
  } catch (e) {
    await server[Symbol.asyncDispose]();
    throw e;
  }
  return server;
}

/** Any HTTP answer at all, within 2 s. */
async function answersHttp(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await res.body?.cancel();
  return true;
}

/**
 * The S3 bucket every S3 server here has.
 *
 * @example
 * ```ts ignore
 * await fetch(`http://127.0.0.1:${moto.port}/${BUCKET}?uploads`);
 * ```
 */
export const BUCKET = "test";

/**
 * S3Operator options for an S3 emulator on `port`.
 *
 * @example
 * ```ts ignore
 * const op = new S3Operator(s3Options(moto.port));
 * ```
 */
export function s3Options(port: number, accessKey = "opendal") {
  return {
    bucket: BUCKET,
    endpoint: `http://127.0.0.1:${port}`,
    region: "us-east-1",
    accessKeyId: accessKey,
    secretAccessKey: accessKey,
    disableEc2Metadata: true,
    disableConfigLoad: true,
  };
}

/**
 * moto's S3 server (PyPI), with bucket `test`. It keeps everything in memory:
 * a restart starts empty (and without the bucket).
 *
 * @example
 * ```ts ignore
 * await using s3 = await startMoto();
 * const op = new S3Operator(s3Options(s3.port));
 * ```
 */
export function startMoto(): Promise<ManagedServer> {
  return launch({
    name: "moto",
    command: (port) => [
      `${SERVICES_HOME}/venv/bin/moto_server`,
      "-H",
      "127.0.0.1",
      "-p",
      String(port),
    ],
    ready: (port) => answersHttp(`http://127.0.0.1:${port}/`),
    // moto does not check signatures: an unsigned CreateBucket does.
    provision: async (port) => {
      const res = await fetch(`http://127.0.0.1:${port}/${BUCKET}`, {
        method: "PUT",
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`moto CreateBucket: ${res.status}`);
    },
  });
}

/**
 * s3rver's access key, which it also checks signatures with.
 *
 * @example
 * ```ts ignore
 * const op = new S3Operator(s3Options(s3rver.port, S3RVER_KEY));
 * ```
 */
export const S3RVER_KEY = "S3RVER";

/**
 * s3rver (npm), with bucket `test`. It keeps objects and unfinished multipart
 * uploads on disk, so they survive a SIGKILL and restart.
 *
 * @example
 * ```ts ignore
 * await using s3 = await startS3rver();
 * const op = new S3Operator(s3Options(s3.port, S3RVER_KEY));
 * ```
 */
export function startS3rver(): Promise<ManagedServer> {
  return launch({
    name: "s3rver",
    command: (port, dir) => [
      `${SERVICES_HOME}/npm/node_modules/.bin/s3rver`,
      "-d",
      `${dir}/data`,
      "-a",
      "127.0.0.1",
      "-p",
      String(port),
      "--configure-bucket",
      BUCKET,
      "--silent",
    ],
    // Paged listings hash with an algorithm OpenSSL 3 keeps in its legacy provider.
    env: { NODE_OPTIONS: "--openssl-legacy-provider" },
    ready: (port) => answersHttp(`http://127.0.0.1:${port}/`),
  });
}

/** A PING that gets PONG, over a raw connection. */
async function redisPong(port: number): Promise<boolean> {
  using conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode("PING\r\n"));
  const buf = new Uint8Array(64);
  const n = await conn.read(buf);
  return new TextDecoder().decode(buf.subarray(0, n ?? 0)).startsWith("+PONG");
}

/**
 * redis-server (apt), without persistence: a restart starts empty.
 *
 * @example
 * ```ts ignore
 * await using redis = await startRedis();
 * const op = new RedisOperator({ endpoint: `tcp://127.0.0.1:${redis.port}` });
 * ```
 */
export function startRedis(): Promise<ManagedServer> {
  return launch({
    name: "redis",
    command: (port, dir) => [
      "redis-server",
      "--bind",
      "127.0.0.1",
      "--port",
      String(port),
      "--dir",
      dir,
      "--save",
      "",
      "--appendonly",
      "no",
      "--daemonize",
      "no",
    ],
    ready: redisPong,
  });
}

/** The newest PostgreSQL installed from apt. */
function postgresBin(): string {
  const versions = [...Deno.readDirSync("/usr/lib/postgresql")]
    .map((e) => e.name).filter((n) => /^\d+$/.test(n))
    .sort((a, b) => Number(a) - Number(b));
  if (versions.length === 0) {
    throw new Error(
      "postgresql is not installed (scripts/services/install.sh)",
    );
  }
  return `/usr/lib/postgresql/${versions.at(-1)}/bin`;
}

/** Runs a command to the end; throws with its output when it fails. */
async function run(argv: string[]): Promise<void> {
  const out = await new Deno.Command(argv[0], { args: argv.slice(1) })
    .output();
  if (!out.success) {
    const dec = new TextDecoder();
    throw new Error(
      `${argv.join(" ")} failed: ${dec.decode(out.stdout)}${
        dec.decode(out.stderr)
      }`,
    );
  }
}

// As the postgres user, in the same process (setpriv execs), so the pid we
// hold is the postmaster's own. PostgreSQL refuses to run as root.
const AS_POSTGRES = [
  "setpriv",
  "--reuid=postgres",
  "--regid=postgres",
  "--init-groups",
  "env",
  "HOME=/",
];

/**
 * The PostgreSQL table the postgresql service uses.
 *
 * @example
 * ```ts ignore
 * const op = new PostgresqlOperator({ connectionString: pgUrl(pg.port), ...PG_TABLE });
 * ```
 */
export const PG_TABLE = { table: "data", keyField: "key", valueField: "value" };

/** Runs `sql` in database `db` of the test server on `port`, as `user`. */
function psql(port: number, db: string, sql: string): Promise<void> {
  return run([
    "psql",
    "-X",
    "-q",
    "-v",
    "ON_ERROR_STOP=1",
    "-h",
    "127.0.0.1",
    "-p",
    String(port),
    "-U",
    "user",
    "-d",
    db,
    "-c",
    sql,
  ]);
}

/**
 * PostgreSQL (apt) with database `testdb` and table `data(key, value)`, user
 * `user` with trust authentication. Its data survives restarts (fsync is off,
 * but commits reach the OS before they return). A crash is
 * `kill("SIGQUIT")` (immediate shutdown, recovery on the next start): a
 * SIGKILLed postmaster would leave its backends holding the shared memory.
 *
 * @example
 * ```ts ignore
 * await using pg = await startPostgres();
 * const op = new PostgresqlOperator({ connectionString: pgUrl(pg.port), ...PG_TABLE });
 * ```
 */
export async function startPostgres(): Promise<ManagedServer> {
  const bin = postgresBin();
  return await launch({
    name: "postgres",
    stopSignal: "SIGINT", // fast shutdown
    command: (port, dir) => [
      ...AS_POSTGRES,
      `${bin}/postgres`,
      "-D",
      `${dir}/pg`,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      `port=${port}`,
      "-c",
      `unix_socket_directories=${dir}`,
      "-c",
      "fsync=off",
      "-c",
      "full_page_writes=off",
    ],
    ready: async (port) => {
      await psql(port, "postgres", "SELECT 1");
      return true;
    },
    provision: async (port) => {
      await psql(port, "postgres", "CREATE DATABASE testdb");
      await psql(
        port,
        "testdb",
        "CREATE TABLE data (key TEXT PRIMARY KEY, value BYTEA)",
      );
    },
  }, async (dir) => {
    await run(["chown", "postgres:", dir]);
    await run([
      ...AS_POSTGRES,
      `${bin}/initdb`,
      "-D",
      `${dir}/pg`,
      "-U",
      "user",
      "-A",
      "trust",
      "--no-sync",
    ]);
  });
}

/**
 * The postgresql service's connection string for a server on `port`.
 *
 * @example
 * ```ts ignore
 * pgUrl(5432); // "postgresql://user@127.0.0.1:5432/testdb"
 * ```
 */
export function pgUrl(port: number): string {
  return `postgresql://user@127.0.0.1:${port}/testdb`;
}
