// scripts/glibc_floor.ts reads glibc symbol versions as the dynamic linker
// does: numerically, newest first.

import assert from "node:assert/strict";
import {
  compareVersions,
  glibcFloor,
  glibcVersions,
} from "../../scripts/glibc_floor.ts";

Deno.test("glibc floor: versions compare by number, not by text", () => {
  const objdump = [
    "0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.2.5) memcpy",
    "0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.28)  fcntl64",
    "0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.3)   __tls_get_addr",
    "0000000000000000  w   DF *UND*  0000000000000000 (GLIBC_2.17)  clock_gettime",
  ].join("\n");
  assert.deepEqual(glibcVersions(objdump), ["2.28", "2.17", "2.3", "2.2.5"]);
  assert.ok(compareVersions("2.34", "2.28") > 0);
  assert.equal(compareVersions("2.28", "2.28.0"), 0);
  assert.deepEqual(glibcVersions("no versions here"), []);
});

Deno.test({
  name: "glibc floor: the local build names a glibc version",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const floor = await glibcFloor(
      decodeURIComponent(
        new URL("../../rust/target/release/libopendal_deno.so", import.meta.url)
          .pathname,
      ),
    );
    assert.match(floor ?? "", /^2\.\d+/);
  },
});
