/**
 * bench/RESULTS.md holds one section per benchmark script, each between
 * `<!-- begin NAME -->` and `<!-- end NAME -->`, so each script rewrites its
 * own figures and leaves the others'.
 *
 * @module
 */

const file = new URL("./RESULTS.md", import.meta.url).pathname;

/** Replaces section `name` of bench/RESULTS.md (appends it if new), then formats the file. */
export async function replaceSection(
  name: string,
  text: string,
): Promise<void> {
  const begin = `<!-- begin ${name} -->`;
  const end = `<!-- end ${name} -->`;
  const block = `${begin}\n\n${text.trim()}\n\n${end}`;
  let old = "";
  try {
    old = await Deno.readTextFile(file);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const from = old.indexOf(begin);
  const to = old.indexOf(end);
  const updated = from >= 0 && to > from
    ? old.slice(0, from) + block + old.slice(to + end.length)
    : `${old.trimEnd()}${old.trim() ? "\n\n" : ""}${block}\n`;
  await Deno.writeTextFile(file, updated);
  const fmt = new Deno.Command(Deno.execPath(), { args: ["fmt", "-q", file] });
  if (!(await fmt.output()).success) console.error(`could not format ${file}`);
}
