/**
 * Builds the native library (release) and regenerates the C header.
 *
 * The cargo target directory is `CARGO_TARGET_DIR` when set (CI keeps it
 * outside the clone so rebuilds are incremental); the library is then copied
 * to `rust/target/release/`, where the loader looks.
 *
 * @module
 */

const rust = new URL("../rust/", import.meta.url).pathname;
const name = Deno.build.os === "darwin"
  ? "libopendal_deno.dylib"
  : Deno.build.os === "windows"
  ? "opendal_deno.dll"
  : "libopendal_deno.so";

const { success } = await new Deno.Command("cargo", {
  args: ["build", "--release"],
  cwd: rust,
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (!success) Deno.exit(1);

const targetDir = Deno.env.get("CARGO_TARGET_DIR");
if (targetDir) {
  const local = `${rust}target/release/`;
  await Deno.mkdir(local, { recursive: true });
  const built = `${targetDir}/release/${name}`;
  const copy = `${local}${name}`;
  // Replace atomically so a running process never maps a half-written file.
  await Deno.copyFile(built, `${copy}.tmp`);
  await Deno.rename(`${copy}.tmp`, copy);
}
