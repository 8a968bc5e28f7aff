/**
 * The newest glibc symbol version a Linux library needs, read from its
 * dynamic symbol table with `objdump -T`; fails above a limit.
 *
 * ```sh
 * deno run --allow-run=objdump --allow-read scripts/glibc_floor.ts <library> [max, default 2.28]
 * ```
 *
 * A library that needs `GLIBC_2.34` does not load on a system with an older
 * glibc (Debian 11, Ubuntu 20.04, RHEL 8), whatever else it does.
 *
 * @module
 */

/** The default limit: what `scripts/build.ts --portable` links against. */
export const MAX_GLIBC = "2.28";

/**
 * Every `GLIBC_x.y[.z]` version named in `objdump -T` output, newest first.
 *
 * @example
 * ```ts
 * import { glibcVersions } from "./glibc_floor.ts";
 * const out = "0000 DF *UND* 0000 (GLIBC_2.2.5) memcpy\n0000 DF *UND* 0000 (GLIBC_2.17) clock_gettime";
 * console.log(glibcVersions(out)); // ["2.17", "2.2.5"]
 * ```
 */
export function glibcVersions(objdump: string): string[] {
  const found = new Set(
    [...objdump.matchAll(/\bGLIBC_(\d+(?:\.\d+)+)\b/g)].map((m) => m[1]),
  );
  return [...found].sort((a, b) => compareVersions(b, a));
}

/**
 * Compares dotted versions numerically (`2.28` is newer than `2.3`).
 *
 * @example
 * ```ts
 * import { compareVersions } from "./glibc_floor.ts";
 * console.log(compareVersions("2.28", "2.3") > 0); // true
 * ```
 */
export function compareVersions(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/**
 * The newest glibc version `library` needs (`undefined` when it names none),
 * from `objdump -T`.
 *
 * @example
 * ```ts ignore
 * import { glibcFloor } from "./glibc_floor.ts";
 * console.log(await glibcFloor("rust/target/release/libopendal_deno.so")); // 2.28
 * ```
 */
export async function glibcFloor(library: string): Promise<string | undefined> {
  const out = await new Deno.Command("objdump", {
    args: ["-T", library],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `objdump -T ${library} failed: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return glibcVersions(new TextDecoder().decode(out.stdout))[0];
}

if (import.meta.main) {
  const [library, max = MAX_GLIBC] = Deno.args;
  if (!library) {
    console.error("usage: glibc_floor.ts <library> [max glibc version]");
    Deno.exit(2);
  }
  const floor = await glibcFloor(library);
  if (floor && compareVersions(floor, max) > 0) {
    console.error(
      `${library} needs glibc ${floor}, above ${max}: it would not load on older ` +
        "systems. Build it with `deno task build --portable`.",
    );
    Deno.exit(1);
  }
  console.log(`${library} needs glibc ${floor ?? "(none)"} (limit ${max})`);
}
