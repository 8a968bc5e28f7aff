/**
 * The command-line tool run as a subprocess against fs and memory: output,
 * files left behind, and exit codes.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Operator } from "@opendal/core";
import { CLI, cli, jsonLines } from "./run.ts";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** A fresh directory with a.txt, sub/b.txt and sub/deep/c.bin. */
async function tree(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "opendal-cli-" });
  await Deno.writeTextFile(`${dir}/a.txt`, "hello\n");
  await Deno.mkdir(`${dir}/sub/deep`, { recursive: true });
  await Deno.writeTextFile(`${dir}/sub/b.txt`, "world\n");
  await Deno.writeFile(`${dir}/sub/deep/c.bin`, new Uint8Array([0, 1, 2, 255]));
  return dir;
}

function random(size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) {
    crypto.getRandomValues(out.subarray(i, Math.min(size, i + 65536)));
  }
  return out;
}

const exists = (p: string) =>
  Deno.stat(p).then(() => true, (e) => {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  });

/** An expected failure: the exit code, the kind on stderr, no stack trace. */
function assertFailure(
  r: { code: number; stderr: string },
  code: number,
  kind: string,
) {
  assert.equal(r.code, code, r.stderr);
  assert.match(r.stderr, new RegExp(`^error: ${kind}: `));
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
}

Deno.test("--help lists every command; each command has its own help", async () => {
  const r = await cli(["--help"]);
  assert.equal(r.code, 0);
  for (const c of ["ls", "stat", "cat", "cp", "mv", "rm", "presign"]) {
    assert.match(r.stdout, new RegExp(`^  ${c} `, "m"));
  }
  assert.match(r.stdout, /OPENDAL_<SCHEME>_<KEY>/);
  for (const args of [["cp", "--help"], ["help", "cp"], ["cp", "-h"]]) {
    const c = await cli(args);
    assert.equal(c.code, 0);
    assert.match(c.stdout, /^Usage: opendal cp \[-r\]/);
    assert.match(c.stdout, /--progress/);
  }
});

Deno.test("bad command lines exit 2 with a message", async () => {
  assertFailure(await cli([]), 2, "Usage");
  const unknown = await cli(["frob"]);
  assertFailure(unknown, 2, "Usage");
  assert.match(unknown.stderr, /unknown command "frob"/);
  assertFailure(await cli(["ls", "--nope", "/tmp"]), 2, "Usage");
  const misplaced = await cli(["ls", "--expire", "3", "/tmp"]);
  assertFailure(misplaced, 2, "Usage");
  assert.match(misplaced.stderr, /ls does not take --expire/);
  assertFailure(await cli(["cp", "/tmp/a"]), 2, "Usage");
  assertFailure(await cli(["ls", "-o", "novalue", "/tmp"]), 2, "ConfigInvalid");
  const expire = await cli(["presign", "read", "/tmp/x", "--expire", "-5"]);
  assertFailure(expire, 2, "Usage");
  const kind = await cli(["presign", "sign", "/tmp/x"]);
  assertFailure(kind, 2, "Usage");
  // A config the service rejects is ConfigInvalid: s3 with no bucket at all.
  const s3 = await cli(["stat", "s3:///key"], {
    env: { OPENDAL_S3_BUCKET: "", OPENDAL_S3_REGION: "us-east-1" },
  });
  assertFailure(s3, 2, "ConfigInvalid");
  assert.match(s3.stderr, /bucket/);
  const scheme = await cli(["ls", "nosuchscheme:///x"]);
  assertFailure(scheme, 1, "Unsupported");
});

Deno.test("ls: children, recursive, long, JSON lines, one file", async () => {
  const dir = await tree();
  const plain = await cli(["ls", dir]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.deepEqual(plain.stdout.trim().split("\n").sort(), ["a.txt", "sub/"]);

  const rec = await cli(["ls", "-r", `${dir}/`]);
  assert.deepEqual(rec.stdout.trim().split("\n").sort(), [
    "a.txt",
    "sub/",
    "sub/b.txt",
    "sub/deep/",
    "sub/deep/c.bin",
  ]);

  const long = await cli(["ls", "-l", `${dir}/sub`]);
  const lines = long.stdout.trim().split("\n").sort();
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^dir +- \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ deep\/$/);
  assert.match(lines[1], /^file +6 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ b\.txt$/);

  const json = jsonLines((await cli(["ls", "-r", "--json", dir])).stdout);
  const bin = json.find((e) => e.name === "sub/deep/c.bin");
  assert.ok(bin, JSON.stringify(json));
  // As the argument was written, so it can be passed back to the tool.
  assert.equal(bin.path, `${dir}/sub/deep/c.bin`);
  assert.equal(bin.mode, "file");
  assert.equal(bin.size, 4);
  assert.ok(!Number.isNaN(Date.parse(bin.lastModified as string)));

  const one = await cli(["ls", "-l", `${dir}/a.txt`]);
  assert.match(one.stdout, new RegExp(`^file +6 \\S+ ${dir}/a\\.txt\\n$`));

  // fs:/// URIs and plain paths name the same files.
  const uri = await cli(["ls", `fs://${dir}/sub/`]);
  assert.deepEqual(uri.stdout.trim().split("\n").sort(), ["b.txt", "deep/"]);
});

Deno.test("ls and stat of what does not exist exit 3 with NotFound", async () => {
  const dir = await tree();
  assertFailure(await cli(["ls", `${dir}/nope`]), 3, "NotFound");
  assertFailure(await cli(["ls", `${dir}/nope/`]), 3, "NotFound");
  assertFailure(await cli(["stat", `${dir}/nope`]), 3, "NotFound");
  const json = await cli(["stat", "--json", `${dir}/nope`]);
  assert.equal(json.code, 3);
  const [error] = jsonLines(json.stderr);
  assert.equal((error.error as Record<string, string>).kind, "NotFound");
  assert.equal(json.stdout, "");
});

Deno.test("errors name paths as they were typed, not as the service sees them", async () => {
  const dir = await tree();
  // Absolute: the service's root is "/", so it sees "tmp/...".
  let r = await cli(["cat", `${dir}/missing`]);
  assertFailure(r, 3, "NotFound");
  assert.ok(r.stderr.endsWith(`: read "${dir}/missing"\n`), r.stderr);
  r = await cli(["stat", "--json", `${dir}/missing`]);
  const [{ error }] = jsonLines(r.stderr) as { error: { message: string } }[];
  assert.ok(error.message.endsWith(`: stat "${dir}/missing"`), error.message);
  // A URI keeps its scheme; of two arguments, the one the path is under.
  r = await cli(["cat", "memory:///nothing/here"]);
  assert.ok(r.stderr.endsWith(`: read "memory:///nothing/here"\n`), r.stderr);
  r = await cli(["cp", `${dir}/sub/missing`, "memory:///x"]);
  assertFailure(r, 3, "NotFound");
  assert.ok(r.stderr.endsWith(`: stat "${dir}/sub/missing"\n`), r.stderr);
  // Relative: as typed, under the working directory.
  r = await cli(["cat", "sub/missing"], { cwd: dir });
  assert.ok(r.stderr.endsWith(`: read "sub/missing"\n`), r.stderr);
});

Deno.test("stat: text and JSON", async () => {
  const dir = await tree();
  const text = await cli(["stat", `${dir}/sub/b.txt`]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^path: .*sub\/b\.txt$/m);
  assert.match(text.stdout, /^mode: file$/m);
  assert.match(text.stdout, /^size: 6$/m);
  const [meta] = jsonLines(
    (await cli(["stat", "--json", `${dir}/sub/`])).stdout,
  );
  assert.equal(meta.mode, "dir");
});

Deno.test("cat streams exact bytes of one or more files", async () => {
  const dir = await tree();
  const data = random(9 * 1024 * 1024 + 7); // more than one 8 MiB read
  await Deno.writeFile(`${dir}/big.bin`, data);
  const r = await cli(["cat", `${dir}/big.bin`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.bytes.byteLength, data.byteLength);
  assert.equal(sha256(r.bytes), sha256(data));
  const two = await cli(["cat", `${dir}/a.txt`, `fs://${dir}/sub/b.txt`]);
  assert.equal(two.stdout, "hello\nworld\n");
  assertFailure(await cli(["cat", `${dir}/missing`]), 3, "NotFound");
});

Deno.test("relative paths are relative to the working directory; -o root= re-roots URIs", async () => {
  const dir = await tree();
  const r = await cli(["cat", "sub/b.txt"], { cwd: dir });
  assert.equal(r.stdout, "world\n", r.stderr);
  const dot = await cli(["ls", "."], { cwd: dir });
  assert.deepEqual(dot.stdout.trim().split("\n").sort(), ["a.txt", "sub/"]);
  const up = await cli(["cat", "../a.txt"], { cwd: `${dir}/sub/deep` });
  assertFailure(up, 3, "NotFound");
  const upTwo = await cli(["cat", "../../a.txt"], { cwd: `${dir}/sub/deep` });
  assert.equal(upTwo.stdout, "hello\n", upTwo.stderr);
  const cp = await cli(["cp", "../b.txt", "./"], { cwd: `${dir}/sub/deep` });
  assert.equal(cp.code, 0, cp.stderr);
  assert.equal(await Deno.readTextFile(`${dir}/sub/deep/b.txt`), "world\n");
  const rooted = await cli(["cat", "-o", `root=${dir}/sub`, "fs:///b.txt"]);
  assert.equal(rooted.stdout, "world\n", rooted.stderr);
});

Deno.test("cp: a file, into a directory, recursively; a directory needs -r", async () => {
  const dir = await tree();
  let r = await cli(["cp", `${dir}/a.txt`, `${dir}/copy.txt`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "");
  assert.equal(await Deno.readTextFile(`${dir}/copy.txt`), "hello\n");

  // A trailing slash, or an existing directory, receives the file by name.
  r = await cli(["cp", `${dir}/a.txt`, `${dir}/into/`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await Deno.readTextFile(`${dir}/into/a.txt`), "hello\n");
  r = await cli(["cp", `${dir}/sub/b.txt`, `${dir}/into`]);
  assert.equal(await Deno.readTextFile(`${dir}/into/b.txt`), "world\n");

  const noR = await cli(["cp", `${dir}/sub`, `${dir}/tree`]);
  assertFailure(noR, 2, "Usage");
  assert.match(noR.stderr, /use -r/);
  assert.equal(await exists(`${dir}/tree`), false);

  r = await cli(["cp", "-r", "--json", `${dir}/sub`, `${dir}/tree`]);
  assert.equal(r.code, 0, r.stderr);
  const copied = jsonLines(r.stdout).map((j) => [j.to, j.size]).sort();
  assert.deepEqual(copied, [
    [`${dir}/tree/b.txt`, 6],
    [`${dir}/tree/deep/c.bin`, 4],
  ]);
  assert.deepEqual(
    await Deno.readFile(`${dir}/tree/deep/c.bin`),
    new Uint8Array([0, 1, 2, 255]),
  );

  assertFailure(await cli(["cp", `${dir}/nope`, `${dir}/x`]), 3, "NotFound");
  // A source directory that is not there is an error, not zero files copied;
  // an empty one copies nothing.
  for (const cmd of ["cp", "mv"]) {
    const gone = await cli([cmd, "-r", `${dir}/nope/`, `${dir}/x/`]);
    assertFailure(gone, 3, "NotFound");
    assert.ok(gone.stderr.includes(`: stat "${dir}/nope/"`), gone.stderr);
  }
  await Deno.mkdir(`${dir}/empty`);
  r = await cli(["cp", "-r", `${dir}/empty/`, `${dir}/x/`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await exists(`${dir}/x`), false);
  const same = await cli(["cp", `${dir}/a.txt`, `${dir}/a.txt`]);
  assertFailure(same, 1, "IsSameFile");
  assert.equal(await Deno.readTextFile(`${dir}/a.txt`), "hello\n");
});

Deno.test("cp through memory: the copy lands, and memory lives one command", async () => {
  const dir = await tree();
  const r = await cli(["cp", "-r", "--json", dir, "memory://backup/"]);
  assert.equal(r.code, 0, r.stderr);
  const to = jsonLines(r.stdout).map((j) => j.to).sort();
  assert.deepEqual(to, [
    "memory://backup/a.txt",
    "memory://backup/sub/b.txt",
    "memory://backup/sub/deep/c.bin",
  ]);
  // A new process has a new, empty memory service.
  const later = await cli(["cat", "memory://backup/a.txt"]);
  assertFailure(later, 3, "NotFound");
  const empty = await cli(["ls", "memory://"]);
  assert.equal(empty.code, 0, empty.stderr);
  assert.equal(empty.stdout, "");
});

Deno.test("cp --progress streams with a bar on stderr that grows to 100%", async () => {
  const dir = await tree();
  const data = random(40 * 1024 * 1024 + 3);
  await Deno.writeFile(`${dir}/big.bin`, data);
  const r = await cli(["cp", "--progress", `${dir}/big.bin`, `${dir}/out.bin`]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stderr.trim().split("\n");
  assert.ok(lines.length >= 1);
  const last = lines.at(-1)!;
  assert.match(
    last,
    /big\.bin \[#{24}\] 100% 40\.0 MiB \/ 40\.0 MiB [\d.]+ \S+\/s$/,
  );
  const percents = lines.map((l) => Number(/(\d+)%/.exec(l)![1]));
  assert.deepEqual(percents, [...percents].sort((a, b) => a - b));
  assert.equal(sha256(await Deno.readFile(`${dir}/out.bin`)), sha256(data));
  // Without --progress and off a terminal, no bar.
  const quiet = await cli(["cp", `${dir}/big.bin`, `${dir}/out2.bin`]);
  assert.equal(quiet.stderr, "");
  const off = await cli([
    "cp",
    "--no-progress",
    `${dir}/a.txt`,
    `${dir}/o.txt`,
  ]);
  assert.equal(off.stderr, "");
});

Deno.test("mv: a file renames, a directory moves with -r", async () => {
  const dir = await tree();
  let r = await cli(["mv", "--json", `${dir}/a.txt`, `${dir}/b.txt`]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(jsonLines(r.stdout), [{
    from: `${dir}/a.txt`,
    to: `${dir}/b.txt`,
    size: 6,
  }]);
  assert.equal(await exists(`${dir}/a.txt`), false);
  assert.equal(await Deno.readTextFile(`${dir}/b.txt`), "hello\n");

  assertFailure(await cli(["mv", `${dir}/sub`, `${dir}/moved`]), 2, "Usage");
  r = await cli(["mv", "-r", `${dir}/sub/`, `${dir}/moved/`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await exists(`${dir}/sub`), false);
  assert.equal(await Deno.readTextFile(`${dir}/moved/b.txt`), "world\n");
  assert.equal((await Deno.readFile(`${dir}/moved/deep/c.bin`)).length, 4);

  // Across services: copied, then the source is deleted.
  r = await cli(["mv", `${dir}/b.txt`, "memory://b.txt"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await exists(`${dir}/b.txt`), false);
});

Deno.test("rm: files, -f, directories with -r", async () => {
  const dir = await tree();
  let r = await cli(["rm", "--json", `${dir}/a.txt`]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(jsonLines(r.stdout), [{ deleted: `${dir}/a.txt` }]);
  assert.equal(await exists(`${dir}/a.txt`), false);

  assertFailure(await cli(["rm", `${dir}/a.txt`]), 3, "NotFound");
  r = await cli(["rm", "-f", `${dir}/a.txt`]);
  assert.equal(r.code, 0, r.stderr);

  assertFailure(await cli(["rm", `${dir}/sub`]), 2, "Usage");
  assert.equal(await exists(`${dir}/sub/b.txt`), true);
  r = await cli(["rm", "-r", `${dir}/sub`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await exists(`${dir}/sub`), false);
  assert.equal(await exists(dir), true);
});

Deno.test("presign on a service that cannot sign: Unsupported, exit 1", async () => {
  const dir = await tree();
  const r = await cli(["presign", "read", `${dir}/a.txt`, "--expire", "60"]);
  assertFailure(r, 1, "Unsupported");
});

Deno.test("Ctrl-C: a command stuck writing to a full pipe still exits 130", async () => {
  const dir = await tree();
  await Deno.writeFile(`${dir}/big.bin`, random(4 * 1024 * 1024));
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-ffi", CLI, "cat", `${dir}/big.bin`],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Nobody reads stdout: cat fills the pipe and blocks. Once the first
  // bytes are in the pipe, it is running.
  const reader = child.stdout.getReader();
  await reader.read();
  child.kill("SIGINT");
  const status = await child.status;
  assert.equal(status.code, 130);
  const stderr = await new Response(child.stderr).text();
  assert.match(stderr, /^error: AbortError: interrupted\n$/);
  await reader.cancel();
});

Deno.test("--json prints locations as they were written, so they can be fed back", async () => {
  const dir = await tree();
  const up = `${dir}/sub/deep`;
  const rel = await cli(["ls", "--json", "../"], { cwd: up });
  assert.equal(rel.code, 0, rel.stderr);
  const paths = jsonLines(rel.stdout).map((j) => j.path).sort();
  assert.deepEqual(paths, ["../b.txt", "../deep/"]);
  // Each one works as an argument again, from the same directory.
  const back = await cli(["cat", "../b.txt"], { cwd: up });
  assert.equal(back.stdout, "world\n", back.stderr);
  const [stat] = jsonLines(
    (await cli(["stat", "--json", `${dir}/a.txt`])).stdout,
  );
  assert.equal(stat.path, `${dir}/a.txt`);
  const uri = jsonLines(
    (await cli(["ls", "--json", `fs://${dir}/sub/`])).stdout,
  );
  assert.ok(
    uri.some((j) => j.path === `fs://${dir}/sub/b.txt`),
    JSON.stringify(uri),
  );
});

Deno.test("ls prints names sorted", async () => {
  const dir = await Deno.makeTempDir({ prefix: "opendal-cli-sort-" });
  const names = Array.from(
    { length: 24 },
    () => crypto.randomUUID().slice(0, 8),
  );
  for (const name of names) await Deno.writeTextFile(`${dir}/${name}`, "x");
  await Deno.mkdir(`${dir}/Zdir`);
  const r = await cli(["ls", dir]);
  assert.equal(r.code, 0, r.stderr);
  const expected = [...names, "Zdir/"].sort();
  assert.deepEqual(r.stdout.trim().split("\n"), expected);
  const json = jsonLines((await cli(["ls", "--json", dir])).stdout);
  assert.deepEqual(json.map((j) => j.name), expected);
});

Deno.test("cp - reads stdin, cp <src> - writes stdout", async () => {
  const dir = await tree();
  const data = random(3 * 1024 * 1024 + 5);
  const r = await cli(["cp", "--json", "-", `${dir}/from-stdin.bin`], {
    stdin: data,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(jsonLines(r.stdout), [{
    from: "-",
    to: `${dir}/from-stdin.bin`,
    size: data.byteLength,
  }]);
  assert.equal(
    sha256(await Deno.readFile(`${dir}/from-stdin.bin`)),
    sha256(data),
  );
  const out = await cli(["cp", `${dir}/from-stdin.bin`, "-"]);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(sha256(out.bytes), sha256(data));
  // A destination that names no file, -r, mv and --json on stdout are refused.
  assertFailure(await cli(["cp", "-", `${dir}/`], { stdin: "x" }), 2, "Usage");
  assertFailure(
    await cli(["cp", "-r", "-", `${dir}/x`], { stdin: "x" }),
    2,
    "Usage",
  );
  assertFailure(await cli(["mv", "-", `${dir}/x`], { stdin: "x" }), 2, "Usage");
  const mixed = await cli(["cp", "--json", `${dir}/a.txt`, "-"]);
  assert.equal(mixed.code, 2);
  assert.match(mixed.stderr, /"kind":"Usage"/);
  assert.equal(await exists(`${dir}/x`), false);
});

Deno.test("cp --content-type is refused where the service cannot store it", async () => {
  const dir = await tree();
  const r = await cli([
    "cp",
    "--content-type",
    "text/plain",
    `${dir}/a.txt`,
    `${dir}/typed.txt`,
  ]);
  assertFailure(r, 1, "Unsupported");
  assert.match(r.stderr, /contentType/);
  assert.equal(await exists(`${dir}/typed.txt`), false);
  // Without it, fs (which stores no types) copies as before.
  const plain = await cli(["cp", `${dir}/a.txt`, `${dir}/plain.html`]);
  assert.equal(plain.code, 0, plain.stderr);
});

Deno.test("errors print the short message; --verbose adds the detail", async () => {
  const dir = await tree();
  const r = await cli(["stat", `${dir}/nope`]);
  assert.equal(r.code, 3);
  assert.equal(
    r.stderr,
    `error: NotFound: no such file or directory: stat "${dir}/nope"\n`,
  );
  const v = await cli(["stat", "--verbose", `${dir}/nope`]);
  assert.match(v.stderr, /^error: NotFound: no such file or directory/);
  assert.match(
    v.stderr,
    /\ndetail: NotFound \(permanent\) at stat, context: \{ service: fs/,
  );
  assert.match(v.stderr, /os error 2/);
  const json = await cli(["stat", "--json", "-v", `${dir}/nope`]);
  const [{ error }] = jsonLines(json.stderr) as {
    error: Record<string, string>;
  }[];
  assert.equal(error.kind, "NotFound");
  assert.match(error.detail, /os error 2/);
  // A wrong argument count says what the command takes, once.
  const usage = await cli(["cp", "/tmp/a"]);
  assert.match(
    usage.stderr,
    /^error: Usage: cp takes 2 arguments, got 1: opendal cp /,
  );
  assert.doesNotMatch(usage.stderr, /Usage: usage/i);
});

/**
 * Whether the library refuses unknown config keys (issue 12, item 7, made
 * by another change): until it does, there is nothing for the CLI to show.
 * Remove this guard once it has landed.
 */
const refusesUnknownKeys = (() => {
  try {
    new Operator("memory", { regoin: "x" }).close();
    return false;
  } catch {
    return true;
  }
})();

Deno.test({
  name: "an unknown -o key exits 2 and names the key",
  ignore: !refusesUnknownKeys,
  async fn() {
    const r = await cli(["ls", "-o", "regoin=us-east-1", "memory://"]);
    assertFailure(r, 2, "ConfigInvalid");
    assert.match(r.stderr, /regoin/);
  },
});
