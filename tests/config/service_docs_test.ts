/**
 * The generated service modules read as this module's API: camelCase option
 * names, no rustdoc-only `<!-- @... -->` annotations, and string-literal
 * unions where OpenDAL's config docs list the values.
 */
import assert from "node:assert/strict";
import type { S3Options } from "@opendal/core/services/s3";
import { CATALOG } from "../../scripts/service_catalog.ts";

/** Every config key of a service, in snake_case, from its module's options. */
function snakeKeys(source: string): string[] {
  return [...source.matchAll(/^ {2}(\w+)\??:/gm)]
    .map((m) => m[1].replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))
    .filter((k) => k.includes("_"));
}

for (const scheme of Object.keys(CATALOG)) {
  Deno.test(`services/${scheme}.ts: camelCase names, no raw annotations`, async () => {
    const source = await Deno.readTextFile(
      new URL(`../../services/${scheme}.ts`, import.meta.url),
    );
    assert.ok(!source.includes("<!--"), "a raw HTML comment in the docs");
    // After `::` a name is a Rust item (`CacheBuilder::max_capacity`).
    for (const key of snakeKeys(source)) {
      assert.ok(
        !new RegExp(`(?<!::)\\b${key}\\b`).test(source),
        `the docs say ${key}, not its camelCase`,
      );
    }
  });
}

Deno.test("documented values are string-literal unions", () => {
  const good: S3Options = {
    bucket: "b",
    serverSideEncryption: "aws:kms",
    checksumAlgorithm: "crc32c",
    defaultStorageClass: "STANDARD_IA",
  };
  // @ts-expect-error: not one of OpenDAL's documented values.
  const sse: S3Options = { bucket: "b", serverSideEncryption: "AES257" };
  // @ts-expect-error: not one of OpenDAL's documented values.
  const sum: S3Options = { bucket: "b", checksumAlgorithm: "sha1" };
  // @ts-expect-error: not one of OpenDAL's documented values.
  const cls: S3Options = { bucket: "b", defaultStorageClass: "COLD" };
  assert.ok(good && sse && sum && cls);
});
