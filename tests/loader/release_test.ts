// scripts/release.ts refuses a release whose versions disagree, before it
// builds anything: run `--check` on a copy of the files it reads.

import assert from "node:assert/strict";

const repo = new URL("../../", import.meta.url);
const FILES = [
  "deno.json",
  "rust/Cargo.toml",
  "src/_loader/locate.ts",
  "src/_loader/platform.ts",
  "npm/deno-native/package.json",
  "scripts/release.ts",
  "scripts/glibc_floor.ts",
];

/** Runs release.ts --check on a copy where `edit` changed some files. */
async function releaseCheck(
  edit: Record<string, (text: string) => string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = await Deno.makeTempDir({ prefix: "opendal-release-test-" });
  try {
    for (const file of FILES) {
      const text = await Deno.readTextFile(new URL(file, repo));
      await Deno.mkdir(`${dir}/${file.slice(0, file.lastIndexOf("/"))}`, {
        recursive: true,
      });
      await Deno.writeTextFile(`${dir}/${file}`, (edit[file] ?? String)(text));
    }
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--no-config",
        "--allow-read",
        `${dir}/scripts/release.ts`,
        "--check",
      ],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder();
    return {
      code: out.code,
      stdout: text.decode(out.stdout),
      stderr: text.decode(out.stderr),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const version = JSON.parse(
  await Deno.readTextFile(new URL("deno.json", repo)),
).version;
const packageVersion = (v: string) => (text: string) =>
  text.replace(/"version": "[^"]+"/, `"version": "${v}"`);
const crateVersion = (v: string) => (text: string) =>
  text.replace(/^version = "[^"]+"/m, `version = "${v}"`);

Deno.test("release --check: the committed versions agree", async () => {
  const run = await releaseCheck({});
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, new RegExp(`agree on ${version}`));
});

Deno.test("release: the package and crate versions must agree", async () => {
  const run = await releaseCheck({ "deno.json": packageVersion("9.9.9") });
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    new RegExp(
      `the package version \\(deno\\.json 9\\.9\\.9\\) and the crate version \\(rust/Cargo\\.toml ${version}\\) differ`,
    ),
  );
});

Deno.test("release: the loader must import the native package at the package version", async () => {
  const run = await releaseCheck({
    "deno.json": packageVersion("9.9.9"),
    "rust/Cargo.toml": crateVersion("9.9.9"),
  });
  assert.equal(run.code, 1);
  assert.ok(
    run.stderr.includes(
      "src/_loader/locate.ts must import npm:@opendal/deno-native@9.9.9 (the package version), " +
        `in its constant and its import(): it names npm:@opendal/deno-native@${version}, ` +
        `npm:@opendal/deno-native@${version}`,
    ),
    run.stderr,
  );

  // Changing only one of the two literals is caught too.
  const half = await releaseCheck({
    "src/_loader/locate.ts": (text) =>
      text.replace(
        `NATIVE_SPECIFIER = "npm:@opendal/deno-native@${version}"`,
        'NATIVE_SPECIFIER = "npm:@opendal/deno-native@9.9.9"',
      ),
  });
  assert.equal(half.code, 1);
  assert.match(half.stderr, /it names npm:@opendal\/deno-native@9\.9\.9, /);
});

Deno.test("release: the native package's source must carry the package version", async () => {
  const run = await releaseCheck({
    "npm/deno-native/package.json": packageVersion("9.9.9"),
  });
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    new RegExp(
      `npm/deno-native/package\\.json must be @opendal/deno-native@${version}, not @opendal/deno-native@9\\.9\\.9`,
    ),
  );
});
