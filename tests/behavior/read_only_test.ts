/**
 * Read-only services: OpenDAL's `read_only_*`, `reader_only_*` and
 * `list_only` cases [read, no write]. They read fixtures the server was
 * started with (scripts/services/start.sh, `start_http`: named like
 * OpenDAL's fixtures/data), so they run only where the service cannot write.
 */

import {
  type Api,
  assert,
  assertFails,
  behavior,
  type Gate,
  newDir,
  newPath,
} from "./harness.ts";

const readOnly: Gate = (c) => c.read && !c.write;

/** The fixtures `start_http` writes, and their content. */
const NORMAL_FILE = "normal_file.txt";
const NORMAL_TEXT = "Hello, OpenDAL!\n";
const SPECIAL_FILE = "special_file  !@#$%^&()_+-=;',.txt";
const SPECIAL_TEXT = "special\n";
const NORMAL_DIR = "normal_dir/";
const SPECIAL_DIR = "special_dir  !@#$%^&()_+-=;',/";

const byteLength = (s: string): number => new TextEncoder().encode(s).length;

behavior("read only read full", readOnly, async ({ api }) => {
  assert.equal(await api.readText(NORMAL_FILE), NORMAL_TEXT);
});

behavior(
  "read only read full with special chars",
  readOnly,
  async ({ api }) => {
    assert.equal(await api.readText(SPECIAL_FILE), SPECIAL_TEXT);
  },
);

behavior("read only read with range", readOnly, async ({ api }) => {
  assert.equal(
    await api.readText(NORMAL_FILE, { offset: 7, length: 7 }),
    NORMAL_TEXT.slice(7, 14),
  );
});

behavior(
  "read only read with suffix",
  (c) => readOnly(c) && c.readWithSuffix,
  async ({ api }) => {
    assert.equal(
      await api.readText(NORMAL_FILE, { suffix: 9 }),
      NORMAL_TEXT.slice(-9),
    );
  },
);

behavior("read only read not exist", readOnly, async ({ api }) => {
  await assertFails(api.read(newPath()), "NotFound");
});

behavior("read only read with dir path", readOnly, async ({ api }) => {
  await assertFails(api.read(newDir()), "IsADirectory");
});

/** Reads `NORMAL_FILE` whole through a reader made with `options`. */
async function readThroughReader(
  api: Api,
  options: { ifMatch?: string; ifNoneMatch?: string },
): Promise<string> {
  const r = await api.reader(NORMAL_FILE, options);
  try {
    return new TextDecoder().decode(await r.read(0));
  } finally {
    r.close();
  }
}

behavior(
  "read only read with if match",
  (c) => readOnly(c) && c.readWithIfMatch,
  async ({ api }) => {
    const { etag } = await api.stat(NORMAL_FILE);
    assert.ok(etag, "the service must report an ETag");
    await assertFails(
      api.read(NORMAL_FILE, { ifMatch: '"invalid-etag"' }),
      "ConditionNotMatch",
    );
    assert.equal(
      await api.readText(NORMAL_FILE, { ifMatch: etag }),
      NORMAL_TEXT,
    );
  },
);

behavior(
  "read only read with if none match",
  (c) => readOnly(c) && c.readWithIfNoneMatch,
  async ({ api }) => {
    const { etag } = await api.stat(NORMAL_FILE);
    assert.ok(etag, "the service must report an ETag");
    await assertFails(
      api.read(NORMAL_FILE, { ifNoneMatch: etag }),
      "ConditionNotMatch",
    );
    assert.equal(
      await api.readText(NORMAL_FILE, { ifNoneMatch: '"invalid-etag"' }),
      NORMAL_TEXT,
    );
  },
);

behavior(
  "reader only read with if match",
  (c) => readOnly(c) && c.readWithIfMatch,
  async ({ api }) => {
    const { etag } = await api.stat(NORMAL_FILE);
    assert.ok(etag, "the service must report an ETag");
    await assertFails(
      readThroughReader(api, { ifMatch: '"invalid-etag"' }),
      "ConditionNotMatch",
    );
    assert.equal(await readThroughReader(api, { ifMatch: etag }), NORMAL_TEXT);
  },
);

behavior(
  "reader only read with if none match",
  (c) => readOnly(c) && c.readWithIfNoneMatch,
  async ({ api }) => {
    const { etag } = await api.stat(NORMAL_FILE);
    assert.ok(etag, "the service must report an ETag");
    await assertFails(
      readThroughReader(api, { ifNoneMatch: etag }),
      "ConditionNotMatch",
    );
    assert.equal(
      await readThroughReader(api, { ifNoneMatch: '"invalid-etag"' }),
      NORMAL_TEXT,
    );
  },
);

behavior("read only stat file and dir", readOnly, async ({ api }) => {
  const file = await api.stat(NORMAL_FILE);
  assert.equal(file.mode, "file");
  assert.equal(file.contentLength, byteLength(NORMAL_TEXT));
  assert.equal((await api.stat(NORMAL_DIR)).mode, "dir");
});

behavior("read only stat special chars", readOnly, async ({ api }) => {
  const file = await api.stat(SPECIAL_FILE);
  assert.equal(file.mode, "file");
  assert.equal(file.contentLength, byteLength(SPECIAL_TEXT));
  assert.equal((await api.stat(SPECIAL_DIR)).mode, "dir");
});

behavior("read only stat not cleaned path", readOnly, async ({ api }) => {
  const meta = await api.stat(`//${NORMAL_FILE}`);
  assert.equal(meta.mode, "file");
  assert.equal(meta.contentLength, byteLength(NORMAL_TEXT));
});

behavior("read only stat not exist", readOnly, async ({ api }) => {
  await assertFails(api.stat(newPath()), "NotFound");
});

behavior(
  "read only stat with if match",
  (c) => readOnly(c) && c.statWithIfMatch,
  async ({ api }) => {
    const meta = await api.stat(NORMAL_FILE);
    assert.ok(meta.etag, "the service must report an ETag");
    await assertFails(
      api.stat(NORMAL_FILE, { ifMatch: '"invalid-etag"' }),
      "ConditionNotMatch",
    );
    const matched = await api.stat(NORMAL_FILE, { ifMatch: meta.etag });
    assert.equal(matched.contentLength, meta.contentLength);
  },
);

behavior(
  "read only stat with if none match",
  (c) => readOnly(c) && c.statWithIfNoneMatch,
  async ({ api }) => {
    const meta = await api.stat(NORMAL_FILE);
    assert.ok(meta.etag, "the service must report an ETag");
    await assertFails(
      api.stat(NORMAL_FILE, { ifNoneMatch: meta.etag }),
      "ConditionNotMatch",
    );
    const other = await api.stat(NORMAL_FILE, {
      ifNoneMatch: '"invalid-etag"',
    });
    assert.equal(other.mode, "file");
    assert.equal(other.contentLength, meta.contentLength);
  },
);

behavior("read only stat root", readOnly, async ({ api }) => {
  assert.equal((await api.stat("")).mode, "dir");
  assert.equal((await api.stat("/")).mode, "dir");
});

behavior(
  "list only",
  (c) => readOnly(c) && c.list,
  async ({ api }) => {
    const modes = new Map<string, string>();
    for (const entry of await api.list("/")) {
      modes.set(entry.path, (await api.stat(entry.path)).mode);
    }
    assert.equal(modes.get(NORMAL_FILE), "file");
    assert.equal(modes.get(SPECIAL_FILE), "file");
    assert.equal(modes.get(NORMAL_DIR), "dir");
    assert.equal(modes.get(SPECIAL_DIR), "dir");
  },
);
