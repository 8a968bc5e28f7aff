/**
 * The README's capability matrix is what the loaded library reports: a
 * change in a service's capability (a new OpenDAL, a new service) fails
 * here until `deno task gen:capabilities` rewrites the README.
 */
import assert from "node:assert/strict";
import {
  capabilityMatrix,
  END,
  formatted,
  START,
  withMatrix,
} from "../../scripts/capability_matrix.ts";
import { CATALOG } from "../../scripts/service_catalog.ts";

const block = (text: string) => text.split(START)[1]?.split(END)[0];

Deno.test("the README's capability matrix matches every service's capability()", async () => {
  const readme = await Deno.readTextFile(
    new URL("../../README.md", import.meta.url),
  );
  const expected = await formatted(
    withMatrix(readme, await capabilityMatrix()),
  );
  assert.equal(
    block(readme),
    block(expected),
    "stale: run deno task gen:capabilities",
  );
});

Deno.test("every service has a row, key-value stores marked as such", async () => {
  const readme = await Deno.readTextFile(
    new URL("../../README.md", import.meta.url),
  );
  for (const [scheme, entry] of Object.entries(CATALOG)) {
    const mark = entry.keyValue ? " \\(key-value\\)" : "";
    assert.match(
      block(readme) ?? "",
      new RegExp(`\\| \`${scheme}\`${mark} +\\|`),
    );
  }
});
