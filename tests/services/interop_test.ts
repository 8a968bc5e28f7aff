/**
 * Interop with independent clients: what this module writes, the service's
 * own client reads byte for byte, and the other way round. Runs for the
 * service named by OPENDAL_TEST (see scripts/test_services.sh): S3 through
 * boto3, Redis through redis-cli, PostgreSQL through psql.
 */
import assert from "node:assert/strict";
import {
  buildService,
  randomBytes,
  testedSchemes,
} from "../behavior/harness.ts";

const home = Deno.env.get("OPENDAL_SERVICES_HOME") ??
  `${Deno.env.get("HOME")}/.cache/opendal-deno/services`;
const schemes = testedSchemes();

/** Runs `cmd` with `stdin`, returning stdout; fails the test on a non-zero exit. */
async function run(
  cmd: string,
  args: string[],
  stdin?: Uint8Array,
  env?: Record<string, string>,
): Promise<Uint8Array> {
  const child = new Deno.Command(cmd, {
    args,
    env,
    stdin: stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin) {
    const w = child.stdin.getWriter();
    await w.write(stdin);
    await w.close();
  }
  const out = await child.output();
  const err = new TextDecoder().decode(out.stderr);
  assert.ok(out.success, `${cmd} ${args.join(" ")} failed: ${err}`);
  return out.stdout;
}

/** The object key a path has under the service's root (no leading slash). */
function keyOf(root: string | undefined, path: string): string {
  return `${(root ?? "/").replace(/^\/+/, "")}${path}`;
}

const hex = (b: Uint8Array): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

function fromHex(s: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  }
  return out;
}

Deno.test({
  name: "s3: boto3 reads what S3Operator wrote, and the other way round",
  ignore: !schemes.includes("s3"),
  async fn() {
    const { op, config } = buildService("s3");
    using _ = op;
    const python = `${home}/venv/bin/python`;
    const s3 = `
import os, sys, boto3
c = boto3.client("s3", endpoint_url=os.environ["EP"], region_name=os.environ["RG"],
    aws_access_key_id=os.environ["AK"], aws_secret_access_key=os.environ["SK"])
if sys.argv[1] == "get":
    sys.stdout.buffer.write(c.get_object(Bucket=os.environ["BK"], Key=sys.argv[2])["Body"].read())
else:
    c.put_object(Bucket=os.environ["BK"], Key=sys.argv[2], Body=sys.stdin.buffer.read())
`;
    const env = {
      EP: config.endpoint,
      RG: config.region ?? "us-east-1",
      AK: config.access_key_id,
      SK: config.secret_access_key,
      BK: config.bucket,
    };
    const ours = randomBytes(300_000);
    await op.write("interop/ours.bin", ours);
    const read = await run(
      python,
      ["-c", s3, "get", keyOf(config.root, "interop/ours.bin")],
      undefined,
      env,
    );
    assert.equal(hex(read), hex(ours));

    const theirs = randomBytes(123_457);
    await run(
      python,
      ["-c", s3, "put", keyOf(config.root, "interop/theirs.bin")],
      theirs,
      env,
    );
    assert.equal(hex(await op.read("interop/theirs.bin")), hex(theirs));
  },
});

Deno.test({
  name:
    "redis: redis-cli reads what RedisOperator wrote, and the other way round",
  ignore: !schemes.includes("redis"),
  async fn() {
    const { op, config } = buildService("redis");
    using _ = op;
    const port = new URL(config.endpoint.replace("tcp:", "http:")).port;
    const cli = (args: string[], stdin?: Uint8Array) =>
      run("redis-cli", [
        "-h",
        "127.0.0.1",
        "-p",
        port,
        "-n",
        config.db ?? "0",
        ...args,
      ], stdin);
    const ours = randomBytes(50_000);
    await op.write("interop/ours", ours);
    const got = await cli(["--raw", "GET", keyOf(config.root, "interop/ours")]);
    // --raw ends the value with one newline.
    assert.equal(hex(got.subarray(0, got.length - 1)), hex(ours));

    const theirs = randomBytes(40_000);
    await cli(["-x", "SET", keyOf(config.root, "interop/theirs")], theirs);
    assert.equal(hex(await op.read("interop/theirs")), hex(theirs));
  },
});

Deno.test({
  name:
    "postgresql: psql reads what PostgresqlOperator wrote, and the other way round",
  ignore: !schemes.includes("postgresql"),
  async fn() {
    const { op, config } = buildService("postgresql");
    using _ = op;
    const table = config.table ?? "data";
    const keyField = config.key_field ?? "key";
    const valueField = config.value_field ?? "value";
    const psql = (sql: string) =>
      run("psql", [
        config.connection_string,
        "-At",
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        sql,
      ]);
    const ours = randomBytes(20_000);
    await op.write("interop/ours", ours);
    const key = keyOf(config.root, "interop/ours");
    const got = new TextDecoder().decode(
      await psql(
        `SELECT encode(${valueField}, 'hex') FROM ${table} WHERE ${keyField} = '${key}'`,
      ),
    ).trim();
    assert.equal(got, hex(ours));

    const theirs = randomBytes(30_000);
    const theirKey = keyOf(config.root, "interop/theirs");
    await psql(
      `INSERT INTO ${table} (${keyField}, ${valueField}) VALUES ('${theirKey}', decode('${
        hex(theirs)
      }', 'hex'))`,
    );
    assert.deepEqual(await op.read("interop/theirs"), fromHex(hex(theirs)));
  },
});
