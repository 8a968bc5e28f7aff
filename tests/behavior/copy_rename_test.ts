/**
 * copy [read + write + copy] and rename [read + write + rename]: OpenDAL's
 * async_copy/blocking_copy and async_rename/blocking_rename cases.
 */

import type { Capability } from "@opendal/core";
import { RetryLayer } from "@opendal/core/layers/retry";
import {
  type Api,
  assert,
  assertFails,
  assertKind,
  assertSameBytes,
  behavior,
  behaviorAsync,
  fits,
  type Gate,
  genBytes,
  newDir,
  newPath,
  randomBytes,
} from "./harness.ts";

const copy: Gate = (c) => c.read && c.write && c.copy;
const rename: Gate = (c) => c.read && c.write && c.rename;

// ---------------------------------------------------------------------------
// copy
// ---------------------------------------------------------------------------

behavior(
  "copy with concurrent, chunk and sourceContentLengthHint",
  copy,
  async ({ api, cap }) => {
    const source = newPath();
    const content = genBytes(cap);
    await api.write(source, content);
    const target = newPath();
    // Hints: a service that copies in parts may use them, others ignore them.
    await api.copy(source, target, {
      concurrent: 2,
      chunk: 5 * 1024 * 1024,
      sourceContentLengthHint: content.byteLength,
    });
    await assertSameBytes(await api.read(target), content);
    for (
      const bad of [{ concurrent: 0 }, { chunk: -1 }, {
        sourceContentLengthHint: 0.5,
      }]
    ) {
      await assertFails(api.copy(source, newPath(), bad), "ConfigInvalid");
    }
  },
);

/** The chunk and source size for a copy in parts: one byte over one part. */
const partedCopy = (c: Capability): { chunk: number; size: number } | null => {
  if (!c.copyCanMulti || c.copyMultiMinSize === undefined) return null;
  const chunk = c.copyMultiMinSize;
  return fits(c, chunk + 1) ? { chunk, size: chunk + 1 } : null;
};

/** Copies a source one byte larger than `chunk` with `chunk` (and `concurrent`). */
async function copyInParts(
  api: Api,
  cap: Capability,
  concurrent?: number,
): Promise<void> {
  const { chunk, size } = partedCopy(cap)!;
  const source = newPath();
  const content = randomBytes(size);
  await api.write(source, content);
  const target = newPath();
  await api.copy(source, target, { chunk, concurrent });
  await assertSameBytes(await api.read(target), content);
}

behavior(
  "copy with chunk",
  (c) => copy(c) && partedCopy(c) !== null,
  ({ api, cap }) => copyInParts(api, cap),
);

behavior(
  "copy with chunk and concurrent",
  (c) => copy(c) && partedCopy(c) !== null,
  ({ api, cap }) => copyInParts(api, cap, 4),
);

behavior("copy file with ascii name", copy, async ({ api, cap }) => {
  const source = newPath();
  const content = genBytes(cap);
  await api.write(source, content);
  const target = newPath();
  await api.copy(source, target);
  await assertSameBytes(await api.read(target), content);
  // The source is still there.
  await assertSameBytes(await api.read(source), content);
});

behavior("copy file with non ascii name", copy, async ({ api, cap }) => {
  const source = `${newPath()}🐂🍺中文.docx`;
  const target = `${newPath()}😈🐅Français.docx`;
  const content = genBytes(cap);
  await api.write(source, content);
  await api.copy(source, target);
  await assertSameBytes(await api.read(target), content);
});

behavior("copy non existing source", copy, async ({ api }) => {
  const target = newPath();
  await assertFails(api.copy(newPath(), target), "NotFound");
  assert.equal(await api.exists(target), false);
});

behavior(
  "copy source dir",
  (c) => copy(c) && c.createDir,
  async ({ api }) => {
    const source = newDir();
    await api.createDir(source);
    const target = newPath();
    await assertFails(api.copy(source, target), "IsADirectory");
    assert.equal(await api.exists(target), false);
  },
);

behavior(
  "copy target dir",
  (c) => copy(c) && c.createDir,
  async ({ api, cap }) => {
    const source = newPath();
    const content = genBytes(cap);
    await api.write(source, content);
    const target = newDir();
    await api.createDir(target);
    await assertFails(api.copy(source, target), "IsADirectory");
    assert.equal((await api.stat(target)).mode, "dir");
    await assertSameBytes(await api.read(source), content);
  },
);

behavior("copy self", copy, async ({ api, cap }) => {
  const source = newPath();
  const content = genBytes(cap);
  await api.write(source, content);
  await assertFails(api.copy(source, source), "IsSameFile");
  await assertSameBytes(await api.read(source), content);
});

/** Spellings of `d/f` that name the same object, as a filesystem reads them. */
const SAME_FILE = ["./d/f", "d/./f", "d//f", "d/../d/f", "d/f/."];

/**
 * A file big enough that a copy onto itself streaming in 2 MiB pieces (fs,
 * sftp) would have truncated it, where the service takes that much.
 */
function selfCopyBytes(cap: Capability): Uint8Array<ArrayBuffer> {
  return fits(cap, 3 * 1024 * 1024 + 7)
    ? randomBytes(3 * 1024 * 1024 + 7)
    : genBytes(cap);
}

behavior("copy self by another spelling", copy, async ({ api, cap }) => {
  const dir = newDir();
  const source = `${dir}d/f`;
  const content = selfCopyBytes(cap);
  await api.write(source, content);
  for (const spelling of SAME_FILE) {
    const target = `${dir}${spelling}`;
    await assertFails(api.copy(source, target), "IsSameFile");
    await assertSameBytes(await api.read(source), content);
  }
});

behaviorAsync(
  "copyTo self, by any spelling and through a layer",
  (c) => c.read && c.write,
  async ({ op, cap }) => {
    const dir = newDir();
    const source = `${dir}d/f`;
    const content = selfCopyBytes(cap);
    await op.write(source, content);
    // Not closed here: a layered operator closes the one it was made of
    // (see `Operator.layer`), and later tests share `op`.
    const layered = op.layer(new RetryLayer({ maxTimes: 1 }));
    for (const target of [op, layered]) {
      for (const spelling of ["d/f", ...SAME_FILE]) {
        const to = `${dir}${spelling}`;
        const e = await op.copyTo(source, target, to).catch((e) => e);
        assertKind(e, "IsSameFile");
        await assertSameBytes(await op.read(source), content);
      }
    }
  },
);

behavior("copy nested", copy, async ({ api, cap }) => {
  const source = `${newPath()}/${newPath()}/${newPath()}`;
  const content = genBytes(cap);
  await api.write(source, content);
  const target = `${newPath()}/${newPath()}/${newPath()}`;
  await api.copy(source, target);
  await assertSameBytes(await api.read(target), content);
});

behavior("copy overwrite", copy, async ({ api, cap }) => {
  const source = newPath();
  const content = genBytes(cap);
  await api.write(source, content);
  const target = newPath();
  await api.write(target, genBytes(cap));
  await api.copy(source, target);
  await assertSameBytes(await api.read(target), content);
});

behavior(
  "copy with if not exists to new file",
  (c) => copy(c) && c.copyWithIfNotExists,
  async ({ api, cap }) => {
    const source = newPath();
    const content = genBytes(cap);
    await api.write(source, content);
    const target = newPath();
    await api.copy(source, target, { ifNotExists: true });
    await assertSameBytes(await api.read(target), content);
  },
);

behavior(
  "copy with if not exists to existing file",
  (c) => copy(c) && c.copyWithIfNotExists,
  async ({ api, cap }) => {
    const source = newPath();
    await api.write(source, genBytes(cap));
    const target = newPath();
    const existing = genBytes(cap);
    await api.write(target, existing);
    await assertFails(
      api.copy(source, target, { ifNotExists: true }),
      "ConditionNotMatch",
    );
    await assertSameBytes(await api.read(target), existing);
  },
);

behavior(
  "copy with if match match",
  (c) => copy(c) && c.copyWithIfMatch && c.stat,
  async ({ api, cap }) => {
    // ifMatch is a condition on the target: copy over the version we saw.
    const source = newPath();
    const content = genBytes(cap);
    await api.write(source, content);
    const target = newPath();
    await api.write(target, "old");
    const etag = (await api.stat(target)).etag;
    assert.ok(etag, "etag must exist");
    await api.copy(source, target, { ifMatch: etag });
    await assertSameBytes(await api.read(target), content);
  },
);

behavior(
  "copy with if match mismatch",
  (c) => copy(c) && c.copyWithIfMatch,
  async ({ api, cap }) => {
    const source = newPath();
    await api.write(source, genBytes(cap));
    const target = newPath();
    await assertFails(
      api.copy(source, target, { ifMatch: '"invalid_etag"' }),
      "ConditionNotMatch",
    );
    assert.equal(await api.exists(target), false);
  },
);

behavior(
  "copy with source version to new file",
  (c) => copy(c) && c.copyWithSourceVersion && c.stat,
  async ({ api, cap }) => {
    const source = newPath();
    const first = genBytes(cap);
    await api.write(source, first);
    const version = (await api.stat(source)).version;
    assert.ok(version, "version must exist");
    await api.write(source, genBytes(cap));

    const target = newPath();
    await api.copy(source, target, { sourceVersion: version });
    await assertSameBytes(await api.read(target), first);
  },
);

behavior(
  "copy with source version to same file",
  (c) => copy(c) && c.copyWithSourceVersion && c.stat,
  async ({ api, cap }) => {
    const source = newPath();
    const first = genBytes(cap);
    await api.write(source, first);
    const version = (await api.stat(source)).version;
    assert.ok(version, "version must exist");
    await api.write(source, genBytes(cap));

    // Restores the old version as the current one.
    await api.copy(source, source, { sourceVersion: version });
    await assertSameBytes(await api.read(source), first);
  },
);

// ---------------------------------------------------------------------------
// rename
// ---------------------------------------------------------------------------

behavior("rename file", rename, async ({ api, cap }) => {
  const source = newPath();
  const content = genBytes(cap);
  await api.write(source, content);
  const target = newPath();
  await api.rename(source, target);
  await assertFails(api.stat(source), "NotFound");
  await assertSameBytes(await api.read(target), content);
});

behavior("rename file with non ascii name", rename, async ({ api, cap }) => {
  const source = `${newPath()}🐂🍺中文.docx`;
  const target = `${newPath()}😈🐅Français.docx`;
  const content = genBytes(cap);
  await api.write(source, content);
  await api.rename(source, target);
  assert.equal(await api.exists(source), false);
  await assertSameBytes(await api.read(target), content);
});

behavior("rename non existing source", rename, async ({ api }) => {
  const target = newPath();
  await assertFails(api.rename(newPath(), target), "NotFound");
  assert.equal(await api.exists(target), false);
});

behavior(
  "rename source dir",
  (c) => rename(c) && c.createDir,
  async ({ api }) => {
    const source = newDir();
    await api.createDir(source);
    const target = newPath();
    await assertFails(api.rename(source, target), "IsADirectory");
    assert.equal((await api.stat(source)).mode, "dir");
    assert.equal(await api.exists(target), false);
  },
);

behavior(
  "rename target dir",
  (c) => rename(c) && c.createDir,
  async ({ api, cap }) => {
    const source = newPath();
    const content = genBytes(cap);
    await api.write(source, content);
    const target = newDir();
    await api.createDir(target);
    await assertFails(api.rename(source, target), "IsADirectory");
    await assertSameBytes(await api.read(source), content);
    assert.equal((await api.stat(target)).mode, "dir");
  },
);

behavior("rename self", rename, async ({ api, cap }) => {
  const source = newPath();
  const content = genBytes(cap);
  await api.write(source, content);
  await assertFails(api.rename(source, source), "IsSameFile");
  await assertSameBytes(await api.read(source), content);
});

behavior("rename self by another spelling", rename, async ({ api, cap }) => {
  const dir = newDir();
  const source = `${dir}d/f`;
  const content = genBytes(cap);
  await api.write(source, content);
  for (const spelling of SAME_FILE) {
    const target = `${dir}${spelling}`;
    await assertFails(api.rename(source, target), "IsSameFile");
    await assertSameBytes(await api.read(source), content);
  }
});

behavior("rename nested", rename, async ({ api, cap }) => {
  const source = `${newPath()}/${newPath()}/${newPath()}`;
  const content = genBytes(cap);
  await api.write(source, content);
  const target = `${newPath()}/${newPath()}/${newPath()}`;
  await api.rename(source, target);
  await assertFails(api.stat(source), "NotFound");
  await assertSameBytes(await api.read(target), content);
});

behavior("rename overwrite", rename, async ({ api, cap }) => {
  const source = newPath();
  const content = genBytes(cap);
  await api.write(source, content);
  const target = newPath();
  await api.write(target, genBytes(cap));
  await api.rename(source, target);
  await assertFails(api.stat(source), "NotFound");
  await assertSameBytes(await api.read(target), content);
});

behavior(
  "rename with if not exists",
  (c) => rename(c) && c.renameWithIfNotExists,
  async ({ api, cap }) => {
    const source = newPath();
    const content = genBytes(cap);
    await api.write(source, content);
    const target = newPath();
    await api.rename(source, target, { ifNotExists: true });
    assert.equal(await api.exists(source), false);
    await assertSameBytes(await api.read(target), content);
  },
);

behavior(
  "rename with if not exists nested",
  (c) => rename(c) && c.renameWithIfNotExists,
  async ({ api, cap }) => {
    const source = newPath();
    const content = genBytes(cap);
    await api.write(source, content);
    const target = `${newPath()}/${newPath()}/${newPath()}`;
    await api.rename(source, target, { ifNotExists: true });
    await assertSameBytes(await api.read(target), content);
  },
);

behavior(
  "rename with if not exists returns condition not match",
  (c) => rename(c) && c.renameWithIfNotExists,
  async ({ api, cap }) => {
    const source = newPath();
    const content = genBytes(cap);
    await api.write(source, content);
    const target = newPath();
    const existing = genBytes(cap);
    await api.write(target, existing);
    await assertFails(
      api.rename(source, target, { ifNotExists: true }),
      "ConditionNotMatch",
    );
    await assertSameBytes(await api.read(source), content);
    await assertSameBytes(await api.read(target), existing);
  },
);
