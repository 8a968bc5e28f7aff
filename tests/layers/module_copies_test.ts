/**
 * Two copies of the TypeScript module in one process (as when two packages
 * depend on different versions of it, or a checkout meets a published
 * copy). Copies whose ABI versions agree share the one library loaded
 * first, wherever their own library file is: each copy's layers apply to the
 * other's operators, and `copyTo` lands where asked. Copies with different
 * ABI versions each load their own library, and every use of one's object
 * by the other is refused with an error naming both, never misrouted.
 *
 * The incompatible library is a copy of this build whose ABI version is
 * rewritten in the file (the number after the `opendal-deno-abi` marker, see
 * `rust/src/ffi/library.rs`): a real second library, with no second build.
 */
import assert from "node:assert/strict";
import { diagnostics, OpendalError, Operator } from "@opendal/core";
import { MemoryOperator } from "@opendal/core/services/memory";
import { LoggingLayer, type LogRecord, RetryLayer } from "@opendal/core/layers";
import { HANDLE } from "../../src/shared.ts";
import { ABI_VERSION, library } from "../../src/_loader/library.ts";

const repo = new URL("../../", import.meta.url);
const LIB = new URL("rust/target/release/libopendal_deno.so", repo).pathname;

interface CopyOptions {
  /** The library file the copy finds (OPENDAL_DENO_LIB). */
  lib?: string;
  /** Rewrites the copy's ABI version and package version. */
  abi?: number;
  version?: string;
}

/** Copies the module's files into a fresh folder and imports them from there. */
async function loadCopy(options: CopyOptions = {}) {
  const dir = await Deno.makeTempDir({ prefix: "opendal-copy-" });
  const copyTree = async (sub: string): Promise<void> => {
    await Deno.mkdir(`${dir}/${sub}`);
    for await (const f of Deno.readDir(new URL(sub, repo))) {
      if (f.isDirectory) await copyTree(`${sub}/${f.name}`);
      else if (f.isFile) {
        await Deno.copyFile(
          new URL(`${sub}/${f.name}`, repo),
          `${dir}/${sub}/${f.name}`,
        );
      }
    }
  };
  for (const sub of ["src", "services", "layers"]) await copyTree(sub);
  await Deno.copyFile(new URL("mod.ts", repo), `${dir}/mod.ts`);
  if (options.abi !== undefined) {
    const file = `${dir}/src/_loader/library.ts`;
    const source = await Deno.readTextFile(file);
    const pattern = `export const ABI_VERSION = ${ABI_VERSION};`;
    assert.ok(
      source.includes(pattern),
      "src/_loader/library.ts declares ABI_VERSION",
    );
    await Deno.writeTextFile(
      file,
      source.replace(pattern, `export const ABI_VERSION = ${options.abi};`),
    );
  }
  if (options.version !== undefined) {
    // The package version is the one the loader names.
    const file = `${dir}/src/_loader/locate.ts`;
    const source = await Deno.readTextFile(file);
    const declared = /export const NATIVE_SPECIFIER = "(npm:[^"]+@)[^"]+";/;
    assert.match(
      source,
      declared,
      "src/_loader/locate.ts declares NATIVE_SPECIFIER",
    );
    await Deno.writeTextFile(
      file,
      source.replace(
        declared,
        (_, name) =>
          `export const NATIVE_SPECIFIER = "${name}${options.version}";`,
      ),
    );
  }
  // The copy has no build next to it: point it at a library.
  Deno.env.set("OPENDAL_DENO_LIB", options.lib ?? LIB);
  try {
    return {
      dir,
      core: await import(`${dir}/mod.ts`) as typeof import("@opendal/core"),
      memory: await import(
        `${dir}/services/memory.ts`
      ) as typeof import("@opendal/core/services/memory"),
      layers: await import(
        `${dir}/layers/mod.ts`
      ) as typeof import("@opendal/core/layers"),
      library: await import(
        `${dir}/src/_loader/library.ts`
      ) as typeof import("../../src/_loader/library.ts"),
    };
  } finally {
    Deno.env.delete("OPENDAL_DENO_LIB");
  }
}

/** A copy of the built library at another path, its ABI version rewritten to `abi`. */
async function libraryCopy(dir: string, abi?: number): Promise<string> {
  const bytes = await Deno.readFile(LIB);
  if (abi !== undefined) {
    const marker = new TextEncoder().encode("opendal-deno-abi");
    const at: number[] = [];
    for (
      let i = bytes.indexOf(marker[0]);
      i >= 0;
      i = bytes.indexOf(marker[0], i + 1)
    ) {
      if (marker.every((b, k) => bytes[i + k] === b)) at.push(i);
    }
    assert.equal(at.length, 1, "the ABI marker appears once in the library");
    const view = new DataView(bytes.buffer);
    assert.equal(view.getUint32(at[0] + 16, true), ABI_VERSION);
    view.setUint32(at[0] + 16, abi, true);
  }
  const path = `${dir}/libopendal_deno.so`;
  await Deno.writeFile(path, bytes);
  return path;
}

Deno.test("two module copies loading the same file share one library and mix layers and operators", async () => {
  const copy = await loadCopy();
  try {
    assert.notEqual(copy.core.Operator, Operator, "really two copies");

    // A layer of the copy on an operator of this module, and the reverse.
    using mine = new MemoryOperator();
    using mineLayered = mine.layer(new copy.layers.RetryLayer({ maxTimes: 1 }));
    assert.ok(mineLayered instanceof MemoryOperator);
    await mineLayered.write("a", "from here");

    using theirs = new copy.memory.MemoryOperator();
    using theirsLayered = theirs.layer(new RetryLayer({ maxTimes: 1 }));
    assert.ok(theirsLayered instanceof copy.memory.MemoryOperator);
    await theirsLayered.write("b", "from the copy");
    assert.equal(await theirs.readText("b"), "from the copy");

    // Errors from either copy are OpendalErrors to both.
    const err = await theirs.read("missing").catch((e) => e);
    assert.ok(err instanceof OpendalError);
    assert.ok(err instanceof copy.core.OpendalError);
    assert.ok(err instanceof Deno.errors.NotFound);

    // A logging layer of the copy reports operations run by this module.
    const lines: LogRecord[] = [];
    using logged = mine.layer(
      new copy.layers.LoggingLayer({
        level: "info",
        sink: (r) => lines.push(r),
      }),
    );
    await logged.stat("a");
    assert.ok(
      lines.some((l) => /stat path=a finished/.test(l.message)),
      JSON.stringify(lines),
    );
  } finally {
    await Deno.remove(copy.dir, { recursive: true });
  }
});

Deno.test("two module copies each collect their own completions, through their own notifier", async () => {
  const copy = await loadCopy();
  const root = await Deno.makeTempDir({ prefix: "opendal-copies-" });
  try {
    const { FsOperator } = await import("../../services/fs.ts");
    const theirFs = await import(
      `${copy.dir}/services/fs.ts`
    ) as typeof import("../../services/fs.ts");
    const mine = new FsOperator({ root });
    const theirs = new theirFs.FsOperator({ root });
    // Interleaved, hundreds in flight in each copy at once.
    const texts = await Promise.all(
      Array.from(
        { length: 1000 },
        (_, i) =>
          (i % 2 ? theirs : mine).write(`${i}`, `${i}`).then(() =>
            (i % 2 ? mine : theirs).readText(`${i}`)
          ),
      ),
    );
    assert.ok(texts.every((t, i) => t === `${i}`));
    const { lib } = await import("../../src/_ffi/native.ts");
    const theirNative = await import(
      `${copy.dir}/src/_ffi/native.ts`
    ) as typeof import("../../src/_ffi/native.ts");
    assert.notEqual(theirNative.lib(), lib(), "really two copies");
    // The test runs under a bare --allow-ffi: both copies take callbacks.
    assert.equal(lib().completions, "callback");
    assert.equal(theirNative.lib().completions, "callback");
    assert.equal(lib().pending + theirNative.lib().pending, 0);
    mine.close();
    theirs.close();
  } finally {
    await Deno.remove(copy.dir, { recursive: true });
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a copy whose compatible library is at another path uses the library already loaded", async () => {
  const dir = await Deno.makeTempDir({ prefix: "opendal-lib-" });
  const otherFile = await libraryCopy(dir);
  const copy = await loadCopy({ lib: otherFile, version: "0.1.0-elsewhere" });
  try {
    using a1 = new MemoryOperator();
    using b1 = new copy.memory.MemoryOperator();
    using b2 = new copy.memory.MemoryOperator();
    const mine = diagnostics().library;
    const theirs = copy.core.diagnostics().library;
    assert.equal(theirs.instance, mine.instance, "one library instance");
    assert.equal(theirs.path, mine.path, "the one loaded first");
    assert.notEqual(theirs.path, otherFile);
    assert.equal(theirs.version, "0.1.0", "loaded by this module's version");
    assert.notEqual(
      copy.core.diagnostics().queue,
      diagnostics().queue,
      "each copy has its own queue",
    );

    // A layer of one applies to an operator of the other, both ways.
    using a1Retried = a1.layer(new copy.layers.RetryLayer({ maxTimes: 2 }));
    await a1Retried.write("x", "through the copy's layer");
    using b1Retried = b1.layer(new RetryLayer({ maxTimes: 2 }));
    await b1Retried.write("y", "through this module's layer");
    assert.equal(await b1.readText("y"), "through this module's layer");

    // copyTo lands in the operator named, whichever copy made it.
    await a1.copyTo("x", b2, "copied");
    assert.equal(await b2.readText("copied"), "through the copy's layer");
    assert.equal(await b1.exists("copied"), false);
    assert.equal(await a1.exists("copied"), false);
    await b2.copyTo("copied", a1, "back");
    assert.equal(await a1.readText("back"), "through the copy's layer");
  } finally {
    await Deno.remove(copy.dir, { recursive: true });
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("copies with incompatible libraries refuse every cross-use, naming both", async () => {
  const dir = await Deno.makeTempDir({ prefix: "opendal-lib-" });
  const OTHER_ABI = ABI_VERSION + 1000;
  const otherFile = await libraryCopy(dir, OTHER_ABI);
  const copy = await loadCopy({
    lib: otherFile,
    abi: OTHER_ABI,
    version: "0.1.0-other",
  });
  try {
    // Two operators in each copy: handles are numbered alike in both
    // libraries, so a misrouted handle would land in the other copy's twin.
    using a1 = new MemoryOperator();
    using a2 = new MemoryOperator();
    using b1 = new copy.memory.MemoryOperator();
    using b2 = new copy.memory.MemoryOperator();
    const mine = diagnostics().library;
    const theirs = copy.core.diagnostics().library;
    assert.notEqual(theirs.instance, mine.instance, "two library instances");
    assert.equal(theirs.path, otherFile);
    assert.equal(theirs.abi, OTHER_ABI);
    await a1.write("who", "a1");
    await b1.write("who", "b1");

    const refused = (e: unknown, kind: string, operation: string) => {
      assert.ok(e instanceof OpendalError, String(e));
      assert.equal(e.kind, "ConfigInvalid");
      assert.equal(e.operation, operation);
      for (
        const text of [
          `this ${kind} belongs to`,
          `@opendal/core 0.1.0-other (ABI ${OTHER_ABI}, native library ${otherFile})`,
          `@opendal/core 0.1.0 (ABI ${ABI_VERSION}, native library ${mine.path})`,
          "make every import of @opendal/core resolve to one version",
        ]
      ) {
        assert.ok(e.message.includes(text), `${e.message}\nlacks: ${text}`);
      }
      return true;
    };
    const theirsRefused = (e: unknown, kind: string, operation: string) => {
      // The other copy names itself first, then this one.
      assert.ok(e instanceof copy.core.OpendalError, String(e));
      assert.ok(
        (e as Error).message.includes(
          `this ${kind} belongs to @opendal/core 0.1.0 (ABI ${ABI_VERSION}`,
        ),
        (e as Error).message,
      );
      assert.equal((e as OpendalError).operation, operation);
      return true;
    };

    // layer(): a layer of the other copy, both ways, any kind of layer.
    assert.throws(
      () => a1.layer(new copy.layers.RetryLayer({ maxTimes: 1 })),
      (e) => refused(e, "Layer", "layer"),
    );
    assert.throws(
      () => a1.layer(new copy.layers.LoggingLayer({ sink: () => {} })),
      (e) => refused(e, "Layer", "layer"),
    );
    assert.throws(
      () => b1.layer(new RetryLayer({ maxTimes: 1 })),
      (e) => theirsRefused(e, "Layer", "layer"),
    );
    assert.throws(
      () => b1.layer(new LoggingLayer({ sink: () => {} })),
      (e) => theirsRefused(e, "Layer", "layer"),
    );

    // copyTo(): a target of the other copy, both ways.
    await assert.rejects(
      a1.copyTo("who", b2, "copied"),
      (e) => refused(e, "Operator", "copyTo"),
    );
    await assert.rejects(
      b1.copyTo("who", a2, "copied"),
      (e) => theirsRefused(e, "Operator", "copyTo"),
    );
    // Nothing landed anywhere.
    for (const op of [a1, a2]) assert.equal(await op.exists("copied"), false);
    for (const op of [b1, b2]) assert.equal(await op.exists("copied"), false);

    // Below the module, each library refuses the other's handles itself.
    const out = new Uint8Array(4096);
    const foreign = (b2 as unknown as Record<symbol, number>)[HANDLE];
    const status = library().symbols.opendal_operator_info(
      foreign,
      diagnostics().queue,
      0,
      out,
      out.length,
    );
    assert.equal(status, 3, "ConfigInvalid");
    const message = new TextDecoder().decode(
      out.subarray(8, 8 + new DataView(out.buffer).getUint32(4, true)),
    );
    assert.match(message, /not made by this copy of the native library/);
    const ours = (a2 as unknown as Record<symbol, number>)[HANDLE];
    assert.equal(
      copy.library.library().symbols.opendal_operator_info(
        ours,
        copy.core.diagnostics().queue,
        0,
        out,
        out.length,
      ),
      3,
    );

    // Both copies keep working, each with its own objects.
    assert.equal(await a1.readText("who"), "a1");
    assert.equal(await b1.readText("who"), "b1");
    using b1Retried = b1.layer(new copy.layers.RetryLayer({ maxTimes: 1 }));
    assert.equal(await b1Retried.readText("who"), "b1");
  } finally {
    await Deno.remove(copy.dir, { recursive: true });
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a library whose ABI version is not the module's is refused at load, saying how to fix it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "opendal-lib-" });
  // The copy's own ABI version has no library loaded yet, and the file it
  // finds reports another one (as an OPENDAL_DENO_LIB left pointing at an
  // old build would).
  const otherFile = await libraryCopy(dir, ABI_VERSION + 2000);
  const copy = await loadCopy({ lib: otherFile, abi: ABI_VERSION + 3000 });
  try {
    assert.throws(
      () => new copy.memory.MemoryOperator(),
      (e: Error) => {
        assert.match(
          e.message,
          new RegExp(
            `needs a native library of ABI version ${
              ABI_VERSION + 3000
            }, but ${otherFile} has ${ABI_VERSION + 2000}`,
          ),
        );
        assert.match(e.message, /deno task build/);
        return true;
      },
    );
  } finally {
    await Deno.remove(copy.dir, { recursive: true });
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("every operator and layer tells which library made it", () => {
  using op = new Operator("memory");
  using layer = new RetryLayer();
  const LIBRARY = Symbol.for("@opendal/core/library");
  for (const obj of [op, layer]) {
    const info = (obj as unknown as Record<symbol, unknown>)[LIBRARY];
    assert.deepEqual(info, diagnostics().library);
  }
});
