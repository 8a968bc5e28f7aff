/**
 * The ABI version: what decides whether two copies of the module may share
 * one loaded library. The header, the library and the TypeScript mirror
 * agree on it, and any change to the header comes with a new version.
 */
import assert from "node:assert/strict";
import { ABI_VERSION, library } from "../../src/_loader/library.ts";

const include = new URL("../../rust/include/", import.meta.url);

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("the header, the library and the TypeScript mirror agree on the ABI version", async () => {
  const header = await Deno.readTextFile(new URL("opendal_deno.h", include));
  const defined = header.match(/^#define OPENDAL_ABI_VERSION (\d+)$/m);
  assert.ok(defined, "the header defines OPENDAL_ABI_VERSION");
  assert.equal(
    Number(defined[1]),
    ABI_VERSION,
    "src/_loader/library.ts ABI_VERSION",
  );
  assert.equal(library().symbols.opendal_abi_version(), ABI_VERSION);
  assert.equal(library().info.abi, ABI_VERSION);
});

Deno.test("a changed header comes with a new ABI version", async () => {
  // rust/include/abi.json records the digest of the header of every ABI
  // version; an entry is added with each version and never changed.
  const recorded = JSON.parse(
    await Deno.readTextFile(new URL("abi.json", include)),
  ) as Record<string, string>;
  const digest = await sha256(
    await Deno.readFile(new URL("opendal_deno.h", include)),
  );
  const versionOf = Object.entries(recorded).find(([, d]) => d === digest)
    ?.[0];
  assert.equal(
    versionOf,
    String(ABI_VERSION),
    versionOf === undefined
      ? `rust/include/opendal_deno.h changed (sha256 ${digest}): a changed boundary ` +
        `needs a new ABI version. Bump ABI_VERSION in rust/src/ffi/library.rs and ` +
        `src/_loader/library.ts to ${
          ABI_VERSION + 1
        }, rebuild, and add the new header's digest to rust/include/abi.json ` +
        `(leave the old entries as they are)`
      : `the header is the one of ABI version ${versionOf}, but ABI_VERSION is ${ABI_VERSION}`,
  );
});
