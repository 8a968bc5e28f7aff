/**
 * Writes the README's capability matrix (between `<!-- capabilities:start -->`
 * and `<!-- capabilities:end -->`) from each service's `capability()`, as the
 * built library reports it for the service's example options. Run
 * `deno task gen:capabilities` after `deno task build`; with `--check` it only
 * reports (and fails on) a stale matrix.
 *
 * @module
 */

import { type Capability, Operator } from "../mod.ts";
import { CATALOG, type ExampleValue, inTempDir } from "./service_catalog.ts";

/** The columns: a heading and the capability that fills it. */
const COLUMNS: [string, (c: Capability) => boolean][] = [
  ["stat", (c) => c.stat],
  ["read", (c) => c.read],
  ["write", (c) => c.write],
  ["append", (c) => c.writeCanAppend],
  ["multipart", (c) => c.writeCanMulti],
  ["createDir", (c) => c.createDir],
  ["delete", (c) => c.delete],
  ["list", (c) => c.list],
  ["recursive", (c) => c.listWithRecursive],
  ["copy", (c) => c.copy],
  ["rename", (c) => c.rename],
  ["presign", (c) => c.presign],
  ["versions", (c) => c.readWithVersion],
  ["ifNotExists", (c) => c.writeWithIfNotExists],
  ["contentType", (c) => c.writeWithContentType],
  ["userMetadata", (c) => c.writeWithUserMetadata],
  ["startAfter", (c) => c.listWithStartAfter],
];

export const START = "<!-- capabilities:start -->";
export const END = "<!-- capabilities:end -->";

/** The matrix as a Markdown table (not yet formatted by `deno fmt`). */
export async function capabilityMatrix(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "opendal-matrix-" });
  const fill = (v: ExampleValue) => inTempDir(v, dir);
  const rows: string[] = [];
  try {
    for (const [scheme, entry] of Object.entries(CATALOG)) {
      const options = Object.fromEntries(
        Object.entries(entry.example).map(([k, v]) => [k, fill(v)]),
      );
      using op = new Operator(scheme, options);
      const cap = op.capability();
      const kind = entry.keyValue ? " (key-value)" : "";
      rows.push(
        `| \`${scheme}\`${kind} | ${
          COLUMNS.map(([, has]) => has(cap) ? "✓" : "").join(" | ")
        } |`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return [
    `| service | ${COLUMNS.map(([name]) => name).join(" | ")} |`,
    `| --- | ${COLUMNS.map(() => ":-:").join(" | ")} |`,
    ...rows,
  ].join("\n");
}

/** `readme` with its matrix block replaced by `table`. */
export function withMatrix(readme: string, table: string): string {
  const [before, rest] = readme.split(START);
  if (rest === undefined) throw new Error(`README.md has no ${START} marker`);
  const after = rest.split(END)[1];
  if (after === undefined) throw new Error(`README.md has no ${END} marker`);
  return `${before}${START}\n\n${table}\n\n${END}${after}`;
}

/** `markdown` as `deno fmt` writes it, so the check compares like with like. */
export async function formatted(markdown: string): Promise<string> {
  const fmt = new Deno.Command("deno", {
    args: ["fmt", "--ext=md", "-"],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = fmt.stdin.getWriter();
  await writer.write(new TextEncoder().encode(markdown));
  await writer.close();
  const out = await fmt.output();
  if (!out.success) throw new Error("deno fmt failed on the README");
  return new TextDecoder().decode(out.stdout);
}

if (import.meta.main) {
  const readme = new URL("../README.md", import.meta.url);
  const current = await Deno.readTextFile(readme);
  const text = await formatted(withMatrix(current, await capabilityMatrix()));
  if (text === current) {
    console.log("README.md: capability matrix is up to date");
  } else if (Deno.args.includes("--check")) {
    console.error(
      "README.md: capability matrix is out of date (run deno task gen:capabilities)",
    );
    Deno.exit(1);
  } else {
    await Deno.writeTextFile(readme, text);
    console.log("README.md: capability matrix written");
  }
}
