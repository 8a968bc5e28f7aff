/**
 * Builds the native library (release) and regenerates the C header.
 *
 * The cargo target directory is `CARGO_TARGET_DIR`, by default
 * `~/.cache/opendal-deno/target`: outside the clone, so every checkout (and
 * CI's fresh clones) rebuilds incrementally. The library is then copied to
 * `rust/target/release/`, where the loader looks.
 *
 * @module
 */

const rust = new URL("../rust/", import.meta.url).pathname;
const name = Deno.build.os === "darwin"
  ? "libopendal_deno.dylib"
  : Deno.build.os === "windows"
  ? "opendal_deno.dll"
  : "libopendal_deno.so";

const targetDir = Deno.env.get("CARGO_TARGET_DIR") ??
  `${Deno.env.get("HOME")}/.cache/opendal-deno/target`;

function cargo(...args: string[]): Promise<Deno.CommandOutput> {
  return new Deno.Command("cargo", {
    args,
    cwd: rust,
    env: { CARGO_TARGET_DIR: targetDir },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
}

/** A digest of everything the library is built from, and where it is. */
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
  }`;
}

// Cargo leaves the checkout's path out of its fingerprints, so a target
// directory shared by two checkouts can call one checkout's library fresh
// for the other. When the sources or the checkout differ from the last
// build, rebuild this crate (dependencies stay cached).
const stampFile = `${targetDir}/release/.opendal-deno-source`;
const stamp = await sourceStamp();
if (await Deno.readTextFile(stampFile).catch(() => "") !== stamp) {
  await cargo("clean", "--release", "-p", "opendal-deno");
}
if (!(await cargo("build", "--release")).success) Deno.exit(1);
await Deno.writeTextFile(stampFile, stamp);

{
  const local = `${rust}target/release/`;
  await Deno.mkdir(local, { recursive: true });
  const built = `${targetDir}/release/${name}`;
  const copy = `${local}${name}`;
  // Replace atomically so a running process never maps a half-written file.
  await Deno.copyFile(built, `${copy}.tmp`);
  await Deno.rename(`${copy}.tmp`, copy);
}
