/**
 * Every service module, without a server: it constructs from its typed
 * example options, and construction without each option its type requires
 * is `ConfigInvalid` (so a type never makes optional what OpenDAL needs).
 */
import assert from "node:assert/strict";
import { OpendalError, type Operator } from "@opendal/core";
import {
  CATALOG,
  inTempDir,
  usesTempDir,
} from "../../scripts/service_catalog.ts";
import type { SqliteOptions } from "@opendal/core/services/sqlite";

type OperatorClass = new (options: Record<string, unknown>) => Operator;

async function operatorClass(scheme: string): Promise<OperatorClass> {
  const module = await import(`../../services/${scheme}.ts`);
  return module[`${CATALOG[scheme].name}Operator`] as OperatorClass;
}

/** The example options, with a fresh temporary directory for `TEMP_DIR`. */
async function options(scheme: string): Promise<Record<string, unknown>> {
  const { example } = CATALOG[scheme];
  const dir = Object.values(example).some(usesTempDir)
    ? await Deno.makeTempDir()
    : "";
  return Object.fromEntries(
    Object.entries(example).map(([k, v]) => [k, inTempDir(v, dir)]),
  );
}

for (const [scheme, entry] of Object.entries(CATALOG)) {
  Deno.test(`${scheme}: constructs from its typed example`, async () => {
    const Class = await operatorClass(scheme);
    using op = new Class(await options(scheme));
    assert.equal(op.info().scheme, scheme);
  });

  for (const key of entry.required ?? []) {
    Deno.test(`${scheme}: without ${key} is ConfigInvalid`, async () => {
      const Class = await operatorClass(scheme);
      const { [key]: _, ...rest } = await options(scheme);
      assert.throws(() => new Class(rest).close(), (e: unknown) => {
        assert.ok(e instanceof OpendalError, String(e));
        assert.equal(e.kind, "ConfigInvalid", e.message);
        return true;
      });
    });
  }
}

Deno.test("sqlite's table and connectionString are required in its type", () => {
  // @ts-expect-error: table is missing (OpenDAL refuses it at runtime).
  const noTable: SqliteOptions = { connectionString: "sqlite::memory:" };
  // @ts-expect-error: connectionString is missing.
  const noConnection: SqliteOptions = { table: "data" };
  assert.ok(noTable && noConnection);
});
