/**
 * Two copies of the TypeScript module in one process (as when two packages
 * depend on it through different specifiers) share the one native library:
 * each copy's layers apply to the other copy's operators.
 */
import assert from "node:assert/strict";
import { OpendalError, Operator } from "@opendal/core";
import { MemoryOperator } from "@opendal/core/services/memory";
import { type LogRecord, RetryLayer } from "@opendal/core/layers";

const repo = new URL("../../", import.meta.url);

/** Copies the module's files into a fresh folder and imports them from there. */
async function loadCopy() {
  const dir = await Deno.makeTempDir({ prefix: "opendal-copy-" });
  for (const sub of ["src", "services", "layers"]) {
    await Deno.mkdir(`${dir}/${sub}`);
    for await (const f of Deno.readDir(new URL(sub, repo))) {
      if (f.isFile) {
        await Deno.copyFile(
          new URL(`${sub}/${f.name}`, repo),
          `${dir}/${sub}/${f.name}`,
        );
      }
    }
  }
  await Deno.copyFile(new URL("mod.ts", repo), `${dir}/mod.ts`);
  // The copy has no build next to it: point it at this checkout's library.
  const lib = new URL("rust/target/release/libopendal_deno.so", repo).pathname;
  Deno.env.set("OPENDAL_DENO_LIB", lib);
  return {
    dir,
    core: await import(`${dir}/mod.ts`) as typeof import("@opendal/core"),
    memory: await import(
      `${dir}/services/memory.ts`
    ) as typeof import("@opendal/core/services/memory"),
    layers: await import(
      `${dir}/layers/mod.ts`
    ) as typeof import("@opendal/core/layers"),
  };
}

Deno.test("two module copies share one library and mix layers and operators", async () => {
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
