/**
 * The README's services table has a row for every service: what it was
 * tested against, or, for a service no real server runs here for, that it
 * was not, and why.
 */
import assert from "node:assert/strict";
import { CATALOG } from "../../scripts/service_catalog.ts";

const readme = await Deno.readTextFile(
  new URL("../../README.md", import.meta.url),
);
const table = readme.split("<!-- services:start -->")[1]
  ?.split("<!-- services:end -->")[0] ?? "";
const rows = table.split("\n").filter((l) => l.startsWith("| `services/"));

/** The rows of `scheme`'s module. */
const rowsOf = (scheme: string) =>
  rows.filter((r) => r.startsWith(`| \`services/${scheme}\` `));

for (const [scheme, { noServer }] of Object.entries(CATALOG)) {
  Deno.test(`${scheme}: the services table says what it was tested against`, () => {
    const mine = rowsOf(scheme);
    assert.ok(mine.length > 0, `no row for services/${scheme}`);
    if (noServer) {
      assert.equal(mine.length, 1);
      assert.ok(
        mine[0].includes(`not tested against a real server (${noServer})`),
        mine[0],
      );
    } else {
      for (const row of mine) {
        assert.ok(!row.includes("not tested"), row);
      }
    }
  });
}
