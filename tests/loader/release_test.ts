// scripts/release.ts refuses inconsistent versions and malformed tables
// before it builds anything: run on a copy of the files it reads.

import assert from "node:assert/strict";

const repo = new URL("../../", import.meta.url);
const FILES = [
  "deno.json",
  "rust/Cargo.toml",
  "src/checksums.json",
  "src/loader_download.ts",
  "src/loader_platform.ts",
  "scripts/release.ts",
];

/** Runs release.ts --check on a copy where `edit` changed some files. */
async function releaseCheck(
  edit: Record<string, (text: string) => string>,
): Promise<{ code: number; stderr: string }> {
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
        "--allow-read",
        `${dir}/scripts/release.ts`,
        "--check",
      ],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const packageVersion = (v: string) => (text: string) =>
  text.replace(/"version": "[^"]+"/, `"version": "${v}"`);
const crateVersion = (v: string) => (text: string) =>
  text.replace(/^version = "[^"]+"/m, `version = "${v}"`);

Deno.test("release: the package and crate versions must agree", async () => {
  const run = await releaseCheck({ "deno.json": packageVersion("0.2.0") });
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /the package version \(deno\.json 0\.2\.0\) and the crate version \(rust\/Cargo\.toml 0\.1\.0\) differ/,
  );
});

Deno.test("release --check: the committed table must be for the package version", async () => {
  const run = await releaseCheck({
    "deno.json": packageVersion("0.2.0"),
    "rust/Cargo.toml": crateVersion("0.2.0"),
  });
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /src\/checksums\.json is for 0\.1\.0, the package is 0\.2\.0: run scripts\/release\.ts/,
  );
});

Deno.test("release: the table must be well formed and name release files", async () => {
  const badName = await releaseCheck({
    "src/checksums.json": () =>
      JSON.stringify({
        version: "0.1.0",
        files: { "evil.so": "a".repeat(64) },
      }),
  });
  assert.equal(badName.code, 1);
  assert.match(badName.stderr, /lists evil\.so, which is no release file name/);

  const badHash = await releaseCheck({
    "src/checksums.json": () =>
      JSON.stringify({
        version: "0.1.0",
        files: { "libopendal_deno-linux-x86_64.so": "not a hash" },
      }),
  });
  assert.equal(badHash.code, 1);
  assert.match(badHash.stderr, /must be 64 lowercase hex digits/);
});
