/**
 * copy with progress [read + write + copy]: `Copier` and `copy`'s
 * `onProgress`, async and sync. Services that copy in parts (`copyCanMulti`
 * in `capability()`: S3, Azure Blob, GCS) report one step per part; the
 * others copy in one request and report none.
 */

import type { Capability, CopyProgress, Operator } from "@opendal/core";
import { FsOperator } from "@opendal/core/services/fs";
import { MemoryOperator } from "@opendal/core/services/memory";
import {
  assert,
  assertFails,
  assertSameBytes,
  assertThrowsNow,
  behavior,
  behaviorAsync,
  fits,
  type Gate,
  newPath,
  randomBytes,
} from "./harness.ts";

const copy: Gate = (c) => c.read && c.write && c.copy;
/** Services that copy in parts, with room for a source of three parts. */
const inParts: Gate = (c) => copy(c) && partSize(c) !== undefined;

/** The part size the cases copy with: at least 1 MiB. */
function partSize(cap: Capability): number | undefined {
  if (!cap.copyCanMulti) return undefined;
  const part = Math.max(cap.copyMultiMinSize ?? 0, 1024 * 1024);
  return fits(cap, part * 3) ? part : undefined;
}

/** A source of two and a half parts (or 4 KiB where the copy is one request). */
async function writeSource(
  op: Operator,
  cap: Capability,
): Promise<[string, Uint8Array<ArrayBuffer>]> {
  const part = partSize(cap);
  const content = randomBytes(part ? part * 2 + part / 2 : 4096);
  const path = newPath();
  await op.write(path, content);
  return [path, content];
}

behavior("copy with progress", copy, async ({ op, api, cap }) => {
  const [source, content] = await writeSource(op, cap);
  const target = newPath();
  const steps: CopyProgress[] = [];
  await api.copy(source, target, {
    chunk: partSize(cap),
    onProgress: (p) => steps.push(p),
  });
  await assertSameBytes(await api.read(target), content);
  let copied = 0;
  for (const step of steps) {
    copied += step.bytes;
    assert.equal(step.copied, copied);
  }
  if (partSize(cap) === undefined) {
    // One request: GCS's rewrite reports its bytes, the others nothing.
    assert.ok(steps.length <= 1, "a copy in one request takes one step");
    assert.ok(copied === 0 || copied === content.byteLength);
    return;
  }
  assert.equal(steps.length, 3, "one step per part");
  assert.equal(copied, content.byteLength);
});

behavior(
  "copy with progress: a throwing callback aborts the copy",
  inParts,
  async ({ op, api, cap }) => {
    const [source] = await writeSource(op, cap);
    const target = newPath();
    await assert.rejects(
      () =>
        api.copy(source, target, {
          chunk: partSize(cap),
          onProgress: () => {
            throw new Error("stop here");
          },
        }),
      Error,
      "stop here",
    );
    assert.equal(await api.exists(target), false);
  },
);

behaviorAsync(
  "copy with progress: an aborted signal aborts the copy",
  inParts,
  async ({ op, cap }) => {
    const [source] = await writeSource(op, cap);
    const target = newPath();
    const controller = new AbortController();
    const copying = op.copy(source, target, {
      chunk: partSize(cap),
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await assert.rejects(() => copying, (e: Error) => e.name === "AbortError");
    assert.equal(await op.exists(target), false);
  },
);

behavior("copier steps, then close", copy, async ({ op, cap, sync }) => {
  const [source, content] = await writeSource(op, cap);
  const target = newPath();
  const options = { chunk: partSize(cap) };
  const parts = partSize(cap) ? 3 : undefined;
  if (sync) {
    using copier = op.copierSync(source, target, options);
    const steps = [...copier];
    if (parts) assert.equal(steps.length, parts);
    assert.equal(copier.nextSync(), null, "a complete copy has no more steps");
    copier.closeSync();
    assert.throws(() => copier.nextSync(), Error, "this copier is closed");
  } else {
    await using copier = await op.copier(source, target, options);
    const steps = await Array.fromAsync(copier);
    if (parts) {
      assert.equal(steps.length, parts);
      assert.equal(copier.copied, content.byteLength);
    }
    assert.equal(
      await copier.next(),
      null,
      "a complete copy has no more steps",
    );
    await copier.close();
    await assertFails(copier.next(), "BadResource");
  }
  await assertSameBytes(await op.read(target), content);
});

behavior(
  "copier aborted after a part commits nothing",
  inParts,
  async ({ op, cap, sync }) => {
    const [source] = await writeSource(op, cap);
    const target = newPath();
    const options = { chunk: partSize(cap) };
    if (sync) {
      const copier = op.copierSync(source, target, options);
      assert.equal(copier.nextSync(), partSize(cap));
      copier.abortSync();
    } else {
      const copier = await op.copier(source, target, options);
      assert.equal(await copier.next(), partSize(cap));
      await copier.abort();
    }
    assert.equal(await op.exists(target), false);
  },
);

behaviorAsync(
  "copier released before it completes commits nothing",
  inParts,
  async ({ op, cap }) => {
    const [source] = await writeSource(op, cap);
    const target = newPath();
    {
      await using copier = await op.copier(source, target, {
        chunk: partSize(cap),
      });
      await copier.next();
    }
    assert.equal(await op.exists(target), false);
  },
);

behavior(
  "copy with progress refuses what copy refuses",
  copy,
  async ({ api }) => {
    const source = newPath();
    await api.write(source, "x");
    const onProgress = () => {};
    await assertFails(
      api.copy(source, source, { onProgress }),
      "IsSameFile",
    );
    await assertFails(
      api.copy(newPath(), newPath(), { onProgress }),
      "NotFound",
    );
    await assertFails(
      api.copy(source, newPath(), { onProgress: "no" as never }),
      "ConfigInvalid",
    );
  },
);

Deno.test("copier: refusals and use after close", async () => {
  using memory = new MemoryOperator();
  await memory.write("a", "a");
  // memory has no copy at all.
  await assertFails(memory.copier("a", "b"), "Unsupported");
  await assertFails(
    memory.copy("a", "b", { onProgress: () => {} }),
    "Unsupported",
  );
  using fs = new FsOperator({ root: await Deno.makeTempDir() });
  await fs.write("a", "a");
  assertThrowsNow(
    () => fs.copierSync("a", "b", { signal: AbortSignal.abort() } as never),
    "ConfigInvalid",
  );
  const copier = await fs.copier("a", "b");
  await copier.close();
  await assertFails(copier.next(), "BadResource");
  assertThrowsNow(() => copier.closeSync(), "BadResource");
  await assertFails(copier.abort(), "BadResource");
  assert.equal(await fs.readText("b"), "a");
});

behavior("copier aborted before any step", copy, async ({ op, cap, sync }) => {
  const [source] = await writeSource(op, cap);
  const target = newPath();
  if (sync) op.copierSync(source, target).abortSync();
  else await (await op.copier(source, target)).abort();
  assert.equal(await op.exists(target), false);
});

behavior(
  "copier with if not exists",
  (c) => copy(c) && c.copyWithIfNotExists,
  async ({ op, api, cap, sync }) => {
    const [source, content] = await writeSource(op, cap);
    const fresh = newPath();
    const taken = newPath();
    await api.write(taken, "kept");
    const run = async (to: string) => {
      if (sync) {
        using copier = op.copierSync(source, to, { ifNotExists: true });
        for (const _ of copier);
        copier.closeSync();
      } else {
        await using copier = await op.copier(source, to, { ifNotExists: true });
        for await (const _ of copier);
        await copier.close();
      }
    };
    await run(fresh);
    await assertSameBytes(await api.read(fresh), content);
    await assertFails(run(taken), "ConditionNotMatch");
    assert.equal(await api.readText(taken), "kept");
  },
);
