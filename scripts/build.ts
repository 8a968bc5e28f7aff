/**
 * Builds the native library (release) and regenerates the C header.
 *
 * ```sh
 * deno task build             # for this machine
 * deno task build --portable  # Linux: against glibc 2.28, as releases are
 * deno task build --services fs,s3   # only these services (and memory)
 * ```
 *
 * `--services a,b` builds a slim library with only those services and
 * memory, which is always in (`cargo build --no-default-features --features
 * services-a,services-b`); without it the library has every service.
 * `--out-dir DIR` puts the library in DIR instead of `rust/target/release/`
 * (scripts/test_slim.sh loads a slim one from there, beside the full one).
 *
 * `--portable` (or `OPENDAL_DENO_PORTABLE=1`, which CI sets so that every
 * build in a run is this one) builds on Linux with `cargo zigbuild` for
 * `<arch>-unknown-linux-gnu.2.28`, so the library loads on any glibc from
 * 2.28 on; elsewhere it changes nothing. It needs `cargo-zigbuild` and
 * `ziglang` (`pip install cargo-zigbuild ziglang`).
 *
 * The cargo target directory is `CARGO_TARGET_DIR`, by default
 * `~/.cache/opendal-deno/target`: outside the clone, so every checkout (and
 * CI's fresh clones) rebuilds incrementally. The library is then copied to
 * `rust/target/release/`, where the loader looks.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { buildFileName, platformOf } from "../src/_loader/platform.ts";
import { MAX_GLIBC } from "./glibc_floor.ts";

const rust = fileURLToPath(new URL("../rust/", import.meta.url));
const name = buildFileName();

const targetDir = Deno.env.get("CARGO_TARGET_DIR") ??
  `${
    Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE")
  }/.cache/opendal-deno/target`;

/** `--name value` or `--name=value`, removed from `args`; `undefined` when absent. */
function takeValue(args: string[], name: string): string | undefined {
  const at = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (at < 0) return undefined;
  const [arg] = args.splice(at, 1);
  if (arg.includes("=")) return arg.slice(name.length + 1);
  const [value] = args.splice(at, 1);
  if (value === undefined || value.startsWith("--")) {
    console.error(`build: ${name} needs a value`);
    Deno.exit(2);
  }
  return value;
}

const args = [...Deno.args];
const services = takeValue(args, "--services");
const installDir = takeValue(args, "--out-dir") ?? `${rust}target/release/`;
const unknown = args.filter((a) => a !== "--portable");
if (unknown.length) {
  console.error(`build: unknown arguments: ${unknown.join(" ")}`);
  Deno.exit(2);
}

/**
 * The cargo arguments that select `--services a,b` (none for every
 * service), checked against the `services-*` features of rust/Cargo.toml.
 */
function featureArgs(list: string | undefined): string[] {
  if (list === undefined) return [];
  const manifest = Deno.readTextFileSync(`${rust}Cargo.toml`);
  const known = [...manifest.matchAll(/^services-([a-z0-9-]+) = /gm)]
    .map((m) => m[1]);
  const wanted = [...new Set(list.split(",").map((s) => s.trim()))]
    .filter((s) => s !== "" && s !== "memory");
  const missing = wanted.filter((s) => !known.includes(s));
  if (missing.length) {
    console.error(
      `build: --services: no service named ${missing.join(", ")} ` +
        `(the services: memory, ${known.join(", ")})`,
    );
    Deno.exit(2);
  }
  return [
    "--no-default-features",
    ...(wanted.length
      ? ["--features", wanted.map((s) => `services-${s}`).join(",")]
      : []),
  ];
}
const features = featureArgs(services);
/** The glibc a portable Linux build links against: the oldest it loads on. */
const GLIBC_FLOOR = MAX_GLIBC;
const portable = Deno.build.os === "linux" &&
  (Deno.args.includes("--portable") ||
    Deno.env.get("OPENDAL_DENO_PORTABLE") === "1");
// zigbuild reads the glibc version from the target's suffix; cargo puts the
// output under the target without it.
const target = portable ? platformOf()?.rustTarget : undefined;
if (portable && !target) {
  console.error(`build: no portable build for linux ${Deno.build.arch}`);
  Deno.exit(1);
}
const targetArgs = target ? ["--target", target] : [];
const outDir = target
  ? `${targetDir}/${target}/release`
  : `${targetDir}/release`;

function cargo(...args: string[]): Promise<Deno.CommandOutput> {
  return new Deno.Command("cargo", {
    args,
    cwd: rust,
    env: { CARGO_TARGET_DIR: targetDir },
    stdout: "inherit",
    stderr: "inherit",
  }).output().catch((e) => {
    console.error(`build: could not run cargo ${args[0]}: ${e.message}`);
    Deno.exit(1);
  });
}

/** The build itself: `cargo zigbuild` for a portable build, else `cargo build`. */
async function build(): Promise<boolean> {
  // Only the library: the benchmark builds its raw binary when it runs
  // (bench/raw.ts), so no build links it beside the library.
  if (!target) {
    return (await cargo("build", "--release", "--lib", ...features)).success;
  }
  const zig = await cargo(
    "zigbuild",
    "--release",
    "--lib",
    ...features,
    "--target",
    `${target}.${GLIBC_FLOOR}`,
  );
  if (!zig.success) {
    console.error(
      "build: the portable build needs cargo-zigbuild and zig: " +
        "pip install cargo-zigbuild==0.24.1 ziglang==0.17.1",
    );
  }
  return zig.success;
}

/**
 * A digest of everything the library is built from, where it is, and its
 * services (cargo writes a slim library and a full one to the same file).
 */
async function sourceStamp(): Promise<string> {
  const files = ["Cargo.toml", "Cargo.lock", "build.rs", "cbindgen.toml"];
  const walk = async (dir: string): Promise<void> => {
    for await (const e of Deno.readDir(`${rust}${dir}`)) {
      if (e.isDirectory) await walk(`${dir}/${e.name}`);
      else files.push(`${dir}/${e.name}`);
    }
  };
  await walk("src");
  files.sort();
  const hash = new Uint8Array(32);
  for (const f of files) {
    const data = new TextEncoder().encode(
      f + "\0" + await Deno.readTextFile(`${rust}${f}`),
    );
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
    for (let i = 0; i < 32; i++) hash[i] ^= digest[i];
  }
  return `${rust}\n${
    Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("")
  }\n${features.join(" ")}`;
}

// Cargo leaves the checkout's path out of its fingerprints, so a target
// directory shared by two checkouts can call one checkout's library fresh
// for the other. When the sources or the checkout differ from the last
// build, rebuild this crate (dependencies stay cached).
const stampFile = `${outDir}/.opendal-deno-source`;
const stamp = await sourceStamp();
if (await Deno.readTextFile(stampFile).catch(() => "") !== stamp) {
  await cargo("clean", "--release", ...targetArgs, "-p", "opendal-deno");
}
if (!await build()) Deno.exit(1);
// After the build: it regenerates files under src/ (rust/build.rs), which
// are part of what the library was built from.
await Deno.writeTextFile(stampFile, await sourceStamp());

{
  await Deno.mkdir(installDir, { recursive: true });
  const built = `${outDir}/${name}`;
  const copy = `${installDir.replace(/\/?$/, "/")}${name}`;
  // Replace atomically so a running process never maps a half-written file.
  await Deno.copyFile(built, `${copy}.tmp`);
  await Deno.rename(`${copy}.tmp`, copy);
}
