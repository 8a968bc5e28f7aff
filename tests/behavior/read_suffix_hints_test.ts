/**
 * OpenDAL 0.59's read options: suffix reads (`suffix`: the last N bytes)
 * and the read hints `gap`, `prefetch` and `contentLengthHint`, which
 * OpenDAL trusts (a short hint shortens a planned read: the proof it
 * arrived).
 */

import {
  assert,
  assertFails,
  assertSameBytes,
  behavior,
  behaviorAsync,
  type Gate,
  newPath,
  randomBytes,
} from "./harness.ts";

const rw: Gate = (c) => c.read && c.write;
const text = "0123456789abcdef";

behavior(
  "read with suffix",
  (c) => rw(c) && c.readWithSuffix,
  async ({ api }) => {
    const path = newPath();
    await api.write(path, text);
    assert.equal(await api.readText(path, { suffix: 5 }), "bcdef");
    assert.equal(await api.readText(path, { suffix: 16 }), text);
    // Longer than the object: all of it, as an HTTP suffix range.
    assert.equal(await api.readText(path, { suffix: 100 }), text);
  },
);

behaviorAsync(
  "readable with suffix",
  (c) => rw(c) && c.stat,
  async ({ op }) => {
    // Found by a stat and read as a range: no suffix capability needed.
    const path = newPath();
    const content = randomBytes(300_000);
    await op.write(path, content);
    const streamed = async (suffix: number, chunk?: number) =>
      new Uint8Array(
        await new Response(op.readable(path, { suffix, chunk })).arrayBuffer(),
      );
    await assertSameBytes(await streamed(5), content.subarray(-5));
    await assertSameBytes(
      await streamed(250_000, 65536),
      content.subarray(-250_000),
    );
    await assertSameBytes(await streamed(400_000), content);
    assert.equal((await streamed(0)).byteLength, 0);
    await assertFails(
      () => op.readable(path, { suffix: 5, offset: 1 }),
      "ConfigInvalid",
    );
    await assert.rejects(
      () => new Response(op.readable(newPath(), { suffix: 5 })).arrayBuffer(),
      (e: Error) => (e as { kind?: string }).kind === "NotFound",
    );
  },
);

behavior(
  "read a large suffix",
  (c) => rw(c) && c.readWithSuffix,
  async ({ api }) => {
    const path = newPath();
    const content = randomBytes(300_000);
    await api.write(path, content);
    await assertSameBytes(
      await api.read(path, { suffix: 100_001 }),
      content.subarray(300_000 - 100_001),
    );
  },
);

behavior(
  "read with suffix and offset or length is refused",
  rw,
  async ({ api }) => {
    const path = newPath();
    await api.write(path, text);
    for (const range of [{ offset: 1 }, { length: 2 }, { offset: 0 }]) {
      const e = await assertFails(
        api.read(path, { suffix: 4, ...range }),
        "ConfigInvalid",
      );
      assert.match(
        e.message,
        /suffix .* cannot be combined with offset or length/,
      );
    }
    await assertFails(api.read(path, { suffix: -1 }), "ConfigInvalid");
  },
);

behavior(
  "read with suffix where the service cannot",
  (c) => rw(c) && !c.readWithSuffix,
  async ({ api }) => {
    const path = newPath();
    await api.write(path, text);
    const e = await assertFails(api.read(path, { suffix: 4 }), "Unsupported");
    assert.match(e.message, /the read option suffix is not supported/);
  },
);

behavior(
  "read with contentLengthHint is trusted",
  rw,
  async ({ api }) => {
    const path = newPath();
    await api.write(path, text);
    // A concurrent read is planned from the hint: a short one stops early.
    const opts = { concurrent: 2, chunk: 2, contentLengthHint: 5 };
    assert.equal(await api.readText(path, opts), "01234");
    const r = await api.reader(path, opts);
    try {
      assert.equal(new TextDecoder().decode(await r.read(0)), "01234");
    } finally {
      r.close();
    }
    assert.equal(
      await api.readText(path, { ...opts, contentLengthHint: text.length }),
      text,
    );
  },
);

behavior(
  "read and reader with gap and prefetch",
  rw,
  async ({ api }) => {
    const path = newPath();
    const content = randomBytes(200_000);
    await api.write(path, content);
    const hints = { concurrent: 4, chunk: 16_384, gap: 1024 };
    await assertSameBytes(await api.read(path, hints), content);
    const r = await api.reader(path, { ...hints, prefetch: 2, gap: 0 });
    try {
      await assertSameBytes(
        await r.read(1000, 100_000),
        content.subarray(1000, 101_000),
      );
    } finally {
      r.close();
    }
    for (const bad of [{ gap: -1 }, { prefetch: 1.5 }]) {
      await assertFails(api.reader(path, bad), "ConfigInvalid");
    }
    await assertFails(
      api.read(path, { contentLengthHint: -5 }),
      "ConfigInvalid",
    );
  },
);

behavior(
  "reader reads a suffix",
  (c) => rw(c) && c.readWithSuffix,
  async ({ api, sync }) => {
    const path = newPath();
    await api.write(path, text);
    const r = await api.reader(path);
    try {
      const suffix = (n: number) =>
        sync ? r.raw.readSuffixSync(n) : r.raw.readSuffix(n);
      const decode = (b: Uint8Array) => new TextDecoder().decode(b);
      assert.equal(decode(await suffix(5)), "bcdef");
      assert.equal(decode(await suffix(100)), text);
      assert.equal((await suffix(0)).byteLength, 0);
      // -1 is never a suffix by accident.
      await assertFails(() => r.read(-1, 5), "ConfigInvalid");
      await assertFails(() => suffix(-2), "ConfigInvalid");
    } finally {
      r.close();
    }
  },
);

behavior(
  "reader suffix where the service cannot",
  (c) => rw(c) && !c.readWithSuffix,
  async ({ api, sync }) => {
    const path = newPath();
    await api.write(path, text);
    const r = await api.reader(path);
    try {
      const e = await assertFails(
        () => sync ? r.raw.readSuffixSync(4) : r.raw.readSuffix(4),
        "Unsupported",
      );
      assert.match(e.message, /the reader option suffix is not supported/);
    } finally {
      r.close();
    }
  },
);

behavior(
  "read with a zero suffix",
  (c) => rw(c) && c.readWithSuffix,
  async ({ api }) => {
    const path = newPath();
    await api.write(path, text);
    assert.equal((await api.read(path, { suffix: 0 })).byteLength, 0);
  },
);

behavior(
  "reader suffix with chunk and concurrent",
  (c) => rw(c) && c.readWithSuffix,
  async ({ api, sync }) => {
    const path = newPath();
    const content = randomBytes(4096);
    await api.write(path, content);
    // Chunks that do not divide the suffix: the last one is short.
    const r = await api.reader(path, { chunk: 257, concurrent: 3 });
    try {
      await assertSameBytes(
        await (sync ? r.raw.readSuffixSync(1025) : r.raw.readSuffix(1025)),
        content.subarray(4096 - 1025),
      );
    } finally {
      r.close();
    }
  },
);
