// The loader's decisions for every platform a release covers, run here: the
// file names, the npm package names and the errors, with the native
// package's import injected.

import assert from "node:assert/strict";
import {
  filePath,
  locateLibrary,
  NATIVE_SPECIFIER,
  type NativePackage,
  prebuiltLibrary,
} from "../../src/_loader/locate.ts";
import {
  buildFileName,
  platformLibrary,
  platformOf,
  platformPackage,
  PLATFORMS,
} from "../../src/_loader/platform.ts";

/** A native package that has exactly `installed` platform packages. */
const nativeWith = (...installed: string[]) => (): Promise<NativePackage> =>
  Promise.resolve({
    resolve(specifier: string) {
      const pkg = specifier.slice(0, specifier.lastIndexOf("/"));
      if (!installed.includes(pkg)) {
        throw new Error(`Cannot find module '${specifier}'`);
      }
      return `file:///deno_dir/npm/${specifier}`;
    },
  });

Deno.test("loader: file and package names for every released platform", () => {
  const table = PLATFORMS.map((p) => [
    `${p.os} ${p.arch}`,
    buildFileName(p.os),
    platformLibrary(p),
    `${p.npmOs}/${p.npmCpu}`,
  ]);
  assert.deepEqual(table, [
    [
      "linux x86_64",
      "libopendal_deno.so",
      "@opendal/deno-native-linux-x64-gnu/libopendal_deno.so",
      "linux/x64",
    ],
    [
      "linux aarch64",
      "libopendal_deno.so",
      "@opendal/deno-native-linux-arm64-gnu/libopendal_deno.so",
      "linux/arm64",
    ],
    [
      "darwin x86_64",
      "libopendal_deno.dylib",
      "@opendal/deno-native-darwin-x64/libopendal_deno.dylib",
      "darwin/x64",
    ],
    [
      "darwin aarch64",
      "libopendal_deno.dylib",
      "@opendal/deno-native-darwin-arm64/libopendal_deno.dylib",
      "darwin/arm64",
    ],
    [
      "windows x86_64",
      "opendal_deno.dll",
      "@opendal/deno-native-win32-x64-msvc/opendal_deno.dll",
      "win32/x64",
    ],
  ]);
  // This machine is one of them (CI runs each of them).
  assert.ok(platformOf(), `${Deno.build.os} ${Deno.build.arch}`);
});

Deno.test("loader: darwin and windows resolve their own package's library", async () => {
  const all = nativeWith(...PLATFORMS.map(platformPackage));
  // The loader turns the URL into a path in this machine's own form.
  const path = async (build: { os: string; arch: string }) =>
    (await prebuiltLibrary(build, all)).replaceAll("\\", "/")
      .replace(/^(\w:)?\/?/, "/");
  assert.equal(
    await path({ os: "darwin", arch: "aarch64" }),
    "/deno_dir/npm/@opendal/deno-native-darwin-arm64/libopendal_deno.dylib",
  );
  assert.equal(
    await path({ os: "darwin", arch: "x86_64" }),
    "/deno_dir/npm/@opendal/deno-native-darwin-x64/libopendal_deno.dylib",
  );
  assert.equal(
    await path({ os: "windows", arch: "x86_64" }),
    "/deno_dir/npm/@opendal/deno-native-win32-x64-msvc/opendal_deno.dll",
  );
});

Deno.test("loader: a platform no release covers is named, with what to do", async () => {
  let imported = false;
  const error = await prebuiltLibrary(
    { os: "windows", arch: "aarch64" },
    () => {
      imported = true;
      return nativeWith()();
    },
  ).catch((e) => e);
  assert.ok(error instanceof Error);
  assert.match(
    error.message,
    /^@opendal\/core has no prebuilt native library for windows aarch64 \(prebuilt: linux x86_64, linux aarch64, darwin x86_64, darwin aarch64, windows x86_64\)\.\n/,
  );
  assert.match(error.message, /deno task build/);
  assert.match(error.message, /--allow-env=OPENDAL_DENO_LIB/);
  assert.equal(imported, false);
});

Deno.test("loader: a platform package that was not installed is named", async () => {
  const error = await prebuiltLibrary(
    { os: "darwin", arch: "aarch64" },
    nativeWith("@opendal/deno-native-linux-x64-gnu"),
  ).catch((e) => e);
  assert.equal(
    error.message.split("\n")[0],
    "@opendal/core has no prebuilt native library for darwin aarch64: " +
      `${NATIVE_SPECIFIER} did not install @opendal/deno-native-darwin-arm64 ` +
      "(Cannot find module '@opendal/deno-native-darwin-arm64/libopendal_deno.dylib').",
  );
});

Deno.test("loader: a specifier that comes back unresolved is not taken for a path", async () => {
  const error = await prebuiltLibrary(
    { os: "linux", arch: "x86_64" },
    () => Promise.resolve({ resolve: (s: string) => `npm:${s}` }),
  ).catch((e) => e);
  assert.match(
    error.message,
    /did not install @opendal\/deno-native-linux-x64-gnu \(resolved to npm:@opendal\/deno-native-linux-x64-gnu\/libopendal_deno\.so\)/,
  );
});

Deno.test("loader: a native package that cannot be loaded keeps Deno's reason", async () => {
  const error = await prebuiltLibrary(
    { os: "linux", arch: "x86_64" },
    () =>
      Promise.reject(
        new TypeError(
          "npm package '@opendal/deno-native' does not exist.\n    at file:///app.ts:1:1",
        ),
      ),
  ).catch((e) => e);
  assert.equal(
    error.message.split("\n")[0],
    `@opendal/core could not load ${NATIVE_SPECIFIER}, the package that carries its ` +
      "native library: npm package '@opendal/deno-native' does not exist.",
  );
  assert.doesNotMatch(error.message, /file:\/\/\/app\.ts/);
});

Deno.test("loader: OPENDAL_DENO_LIB wins; a checkout's local build comes next", async () => {
  const env = (path?: string) => (name: string) =>
    name === "OPENDAL_DENO_LIB" ? path : undefined;
  assert.equal(await locateLibrary(env("/opt/x.so")), "/opt/x.so");
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/rust/target/release`, { recursive: true });
    await Deno.mkdir(`${dir}/src`);
    const built = `${dir}/rust/target/release/${buildFileName()}`;
    await Deno.writeTextFile(built, "");
    assert.equal(
      await locateLibrary(env(), `file://${dir}/src/_loader/locate.ts`),
      built,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loader: a file URL becomes a path in the form of each OS", () => {
  const url = new URL(
    "file:///C:/Users/me%20too/AppData/Local/deno/npm/registry.npmjs.org/@opendal/deno-native-win32-x64-msvc/0.1.0/opendal_deno.dll",
  );
  assert.equal(
    filePath(url, "windows"),
    "C:\\Users\\me too\\AppData\\Local\\deno\\npm\\registry.npmjs.org\\@opendal\\deno-native-win32-x64-msvc\\0.1.0\\opendal_deno.dll",
  );
  assert.equal(
    filePath(new URL("file:///Users/me/Library/Caches/deno/x.dylib"), "darwin"),
    "/Users/me/Library/Caches/deno/x.dylib",
  );
});
