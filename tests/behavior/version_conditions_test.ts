/**
 * OpenDAL 0.59's version conditions (`ifVersionMatch`, `ifVersionNotMatch`)
 * on stat, read, write, delete and copy, and `ifNotChanged` (a `Metadata`
 * from `stat`) on write, delete and copy. Each case runs where the
 * capability says the service honours the option, and its twin checks the
 * `Unsupported` refusal (naming the option, nothing changed) elsewhere.
 */

import type { Capability, Metadata } from "@opendal/core";
import {
  type Api,
  assert,
  assertFails,
  behavior,
  type Gate,
  newPath,
} from "./harness.ts";

const rw: Gate = (c) => c.read && c.write && c.stat;

/** A version id that is not `version` (GCS generations are numbers). */
const otherVersion = (version: string): string =>
  /^\d+$/.test(version) ? String(BigInt(version) + 7n) : `not-${version}`;

/** Writes `text` at a new path; its metadata as `stat` reports it. */
async function written(api: Api, text: string): Promise<[string, Metadata]> {
  const path = newPath();
  await api.write(path, text);
  return [path, await api.stat(path)];
}

async function versionOf(api: Api, text: string): Promise<[string, string]> {
  const [path, meta] = await written(api, text);
  assert.ok(meta.version, "a service with version conditions reports versions");
  return [path, meta.version];
}

// --- where the service honours them ----------------------------------------

behavior(
  "stat with ifVersionMatch and ifVersionNotMatch",
  (c) => rw(c) && c.statWithIfVersionMatch && c.statWithIfVersionNotMatch,
  async ({ api }) => {
    const [path, version] = await versionOf(api, "v");
    await assertFails(
      api.stat(path, { ifVersionMatch: otherVersion(version) }),
      "ConditionNotMatch",
    );
    assert.equal(
      (await api.stat(path, { ifVersionMatch: version })).version,
      version,
    );
    await assertFails(
      api.stat(path, { ifVersionNotMatch: version }),
      "ConditionNotMatch",
    );
  },
);

behavior(
  "read with ifVersionMatch and ifVersionNotMatch",
  (c) => rw(c) && c.readWithIfVersionMatch && c.readWithIfVersionNotMatch,
  async ({ api }) => {
    const [path, version] = await versionOf(api, "content");
    await assertFails(
      api.read(path, { ifVersionMatch: otherVersion(version) }),
      "ConditionNotMatch",
    );
    assert.equal(
      await api.readText(path, { ifVersionMatch: version }),
      "content",
    );
    await assertFails(
      api.read(path, { ifVersionNotMatch: version }),
      "ConditionNotMatch",
    );
  },
);

behavior(
  "write with ifVersionMatch",
  (c) => rw(c) && c.writeWithIfVersionMatch,
  async ({ api }) => {
    const [path, version] = await versionOf(api, "first");
    await assertFails(
      api.write(path, "stale", { ifVersionMatch: otherVersion(version) }),
      "ConditionNotMatch",
    );
    assert.equal(await api.readText(path), "first");
    await api.write(path, "second", { ifVersionMatch: version });
    assert.equal(await api.readText(path), "second");
  },
);

behavior(
  "write with ifVersionNotMatch",
  (c) => rw(c) && c.writeWithIfVersionNotMatch,
  async ({ api }) => {
    const [path, version] = await versionOf(api, "first");
    await assertFails(
      api.write(path, "same", { ifVersionNotMatch: version }),
      "ConditionNotMatch",
    );
    assert.equal(await api.readText(path), "first");
    await api.write(path, "second", {
      ifVersionNotMatch: otherVersion(version),
    });
    assert.equal(await api.readText(path), "second");
  },
);

behavior(
  "delete with ifVersionMatch and ifVersionNotMatch",
  (c) =>
    rw(c) && c.delete && c.deleteWithIfVersionMatch &&
    c.deleteWithIfVersionNotMatch,
  async ({ api }) => {
    const [path, version] = await versionOf(api, "v");
    await assertFails(
      api.delete(path, { ifVersionMatch: otherVersion(version) }),
      "ConditionNotMatch",
    );
    await assertFails(
      api.delete(path, { ifVersionNotMatch: version }),
      "ConditionNotMatch",
    );
    assert.equal(await api.exists(path), true);
    await api.delete(path, { ifVersionMatch: version });
    assert.equal(await api.exists(path), false);
  },
);

behavior(
  "copy with ifVersionMatch and ifVersionNotMatch",
  (c) =>
    rw(c) && c.copy && c.copyWithIfVersionMatch && c.copyWithIfVersionNotMatch,
  async ({ api }) => {
    const [source] = await written(api, "source");
    const [target, version] = await versionOf(api, "target");
    await assertFails(
      api.copy(source, target, { ifVersionMatch: otherVersion(version) }),
      "ConditionNotMatch",
    );
    await assertFails(
      api.copy(source, target, { ifVersionNotMatch: version }),
      "ConditionNotMatch",
    );
    assert.equal(await api.readText(target), "target");
    await api.copy(source, target, { ifVersionMatch: version });
    assert.equal(await api.readText(target), "source");
  },
);

/** Whether `ifNotChanged` can be derived for `op` (a version, else an ETag). */
const notChanged = (c: Capability, op: "write" | "delete" | "copy"): boolean =>
  c[`${op}WithIfVersionMatch`] || c[`${op}WithIfMatch`];

behavior(
  "write with ifNotChanged",
  (c) => rw(c) && notChanged(c, "write"),
  async ({ api }) => {
    const [path, seen] = await written(api, "first");
    await api.write(path, "second", { ifNotChanged: seen });
    assert.equal(await api.readText(path), "second");
    // `seen` now describes an object that has changed.
    await assertFails(
      api.write(path, "third", { ifNotChanged: seen }),
      "ConditionNotMatch",
    );
    assert.equal(await api.readText(path), "second");
  },
);

behavior(
  "delete with ifNotChanged",
  (c) => rw(c) && c.delete && notChanged(c, "delete"),
  async ({ api }) => {
    const [path, seen] = await written(api, "first");
    await api.write(path, "second");
    await assertFails(
      api.delete(path, { ifNotChanged: seen }),
      "ConditionNotMatch",
    );
    assert.equal(await api.readText(path), "second");
    await api.delete(path, { ifNotChanged: await api.stat(path) });
    assert.equal(await api.exists(path), false);
  },
);

behavior(
  "copy with ifNotChanged",
  (c) => rw(c) && c.copy && notChanged(c, "copy"),
  async ({ api }) => {
    const [source] = await written(api, "source");
    const [target, seen] = await written(api, "first");
    await api.write(target, "second");
    await assertFails(
      api.copy(source, target, { ifNotChanged: seen }),
      "ConditionNotMatch",
    );
    assert.equal(await api.readText(target), "second");
    await api.copy(source, target, { ifNotChanged: await api.stat(target) });
    assert.equal(await api.readText(target), "source");
  },
);

// --- where it does not: refused by name, nothing sent ----------------------

/** Asserts `call` is refused as `Unsupported` naming `operation`'s `option`. */
async function refused(
  call: Promise<unknown>,
  operation: string,
  option: string,
): Promise<void> {
  const e = await assertFails(call, "Unsupported");
  assert.match(
    e.message,
    new RegExp(`the ${operation} option ${option} is not supported`),
  );
}

behavior(
  "version conditions where the service cannot",
  (c) => rw(c) && !c.statWithIfVersionMatch && !c.readWithIfVersionMatch,
  async ({ api }) => {
    const [path] = await written(api, "kept");
    await refused(
      api.stat(path, { ifVersionMatch: "1" }),
      "stat",
      "ifVersionMatch",
    );
    await refused(
      api.stat(path, { ifVersionNotMatch: "1" }),
      "stat",
      "ifVersionNotMatch",
    );
    await refused(
      api.read(path, { ifVersionMatch: "1" }),
      "read",
      "ifVersionMatch",
    );
    await refused(
      api.reader(path, { ifVersionNotMatch: "1" }),
      "reader",
      "ifVersionNotMatch",
    );
  },
);

behavior(
  "write, delete and copy version conditions where the service cannot",
  (c) =>
    rw(c) && c.delete && !c.writeWithIfVersionMatch &&
    !c.deleteWithIfVersionMatch && !c.copyWithIfVersionMatch,
  async ({ api }) => {
    const [path] = await written(api, "kept");
    await refused(
      api.write(path, "lost", { ifVersionMatch: "1" }),
      "write",
      "ifVersionMatch",
    );
    await refused(
      api.writer(path, { ifVersionNotMatch: "1" }),
      "write",
      "ifVersionNotMatch",
    );
    await refused(
      api.delete(path, { ifVersionMatch: "1" }),
      "delete",
      "ifVersionMatch",
    );
    await refused(
      api.copy(path, newPath(), { ifVersionNotMatch: "1" }),
      "copy",
      "ifVersionNotMatch",
    );
    assert.equal(await api.readText(path), "kept");
  },
);

behavior(
  "ifNotChanged where the service cannot",
  (c) =>
    rw(c) && c.delete &&
    !(notChanged(c, "write") || notChanged(c, "delete")),
  async ({ api }) => {
    const [path, seen] = await written(api, "kept");
    const e = await assertFails(
      api.write(path, "lost", { ifNotChanged: seen }),
      "Unsupported",
    );
    assert.match(e.message, /the write option ifNotChanged is not supported/);
    await refused(
      api.delete(path, { ifNotChanged: seen }),
      "delete",
      "ifNotChanged",
    );
    assert.equal(await api.readText(path), "kept");
  },
);
