/**
 * Generates `services/<name>.ts` from the config structs of OpenDAL's
 * service crates, so every option OpenDAL accepts is typed and documented
 * with the crate's own doc comments. Run `deno task gen:services`; with
 * `--check` it only reports (and fails on) files that are out of date.
 *
 * The crates are located with `cargo metadata` on `rust/Cargo.toml`, so the
 * versions are exactly the ones the library is built with.
 *
 * @module
 */

import {
  CATALOG,
  type ExampleValue,
  type ServiceEntry,
  TEMP_DIR,
  usesTempDir,
} from "./service_catalog.ts";

/** One service module to generate. */
interface Service extends ServiceEntry {
  /** The scheme passed to OpenDAL. */
  scheme: string;
  /** The crate that defines the config. */
  crate: string;
}

const SERVICES: Service[] = Object.entries(CATALOG).map(([scheme, entry]) => ({
  ...entry,
  scheme,
  crate: scheme === "memory" ? "opendal-core" : `opendal-service-${scheme}`,
}));

/** A config field as `scripts/config_parser` prints it. */
interface Field {
  /** The key serde reads (after any `rename`). */
  key: string;
  /** The type as written, without spaces. */
  type: string;
  doc: string[];
  deprecated: { since: string | null; note: string | null } | null;
  /** `#[serde(skip)]`: not read from the config at all. */
  skipped: boolean;
}

/** A service crate as `scripts/config_parser` prints it. */
interface Parsed {
  schemes: string[];
  struct: { name: string; doc: string[]; fields: Field[] };
  /** The unit enums the fields name: the strings serde accepts for each. */
  enums: Record<string, { values: string[] }>;
}

const NUMBER = /^(usize|u64|u32|u16|u8|isize|i64|i32|i16|i8|f64|f32)$/;
const DURATION = /^(SignedDuration|Duration)$/;

/**
 * The TypeScript type of a field, or undefined if it cannot travel as a
 * string. A string whose doc lists its values, or an enum, is the union of
 * its values. A type the generator does not know stops it.
 */
function tsType(
  f: Field,
  p: Parsed,
  scheme: string,
): { ts: string; required: boolean; duration?: boolean } | undefined {
  const inner = f.type.match(/^Option<(.+)>$/)?.[1];
  const t = inner ?? f.type;
  const union = (values: string[]) =>
    values.map((v) => JSON.stringify(v)).join(" | ");
  if (t === "String") {
    const values = documentedValues(f.doc);
    return {
      ts: values ? union(values) : "string",
      required: inner === undefined,
    };
  }
  if (t === "bool") return { ts: "boolean", required: false };
  if (NUMBER.test(t)) return { ts: "number", required: false };
  if (DURATION.test(t)) {
    return { ts: "number", required: false, duration: true };
  }
  if (p.enums[t]) return { ts: union(p.enums[t].values), required: false };
  if (/^(HashMap|Vec)</.test(t)) return undefined;
  throw new Error(
    `${scheme}.${f.key}: no TypeScript type for ${f.type} (teach scripts/gen_services.ts)`,
  );
}

/**
 * The values a string field's doc enumerates ("Available values: `a`, `b`."
 * or "Available options:" followed by `- "a"` items), or undefined when it
 * names none.
 */
export function documentedValues(doc: string[]): string[] | undefined {
  const start = doc.findIndex((l) =>
    /^(available|supported|valid) (values|options)\b/i.test(l.trim())
  );
  if (start < 0) return undefined;
  const paragraph: string[] = [];
  for (let i = start; i < doc.length && doc[i].trim(); i++) {
    paragraph.push(doc[i].trim());
  }
  const items = paragraph.slice(1).filter((l) => l.startsWith("- "));
  const source = items.length
    ? items.map((l) => l.slice(2).split(/\s/)[0]).join(" ")
    : paragraph.join(" ").split(/\.(\s|$)/)[0];
  const values = [...source.matchAll(/`"?([^`"]+)"?`|"([^"]+)"/g)]
    .map((m) => m[1] ?? m[2]);
  if (!values.length) {
    throw new Error(`a value list without values: ${paragraph.join(" ")}`);
  }
  return values;
}

const camel = (s: string): string =>
  s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const snake = (s: string): string =>
  s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// [`Name`] or [`Name`](path): a rustdoc link, shown as plain code.
const RUSTDOC_LINK = new RegExp("\\[`([^`\\]]+)`\\](\\([^)]*\\))?", "g");

// `<!-- @group General -->` and friends: rustdoc-only annotations.
const ANNOTATION = /^<!--\s*@(\w+)\s*(.*?)\s*-->$/;

/**
 * Rust doc lines as they read here: rustdoc links become code, the config's
 * snake_case keys become the camelCase names of the options, and the
 * `<!-- @default x -->` annotation becomes `@default x` (the others, such
 * as `@group`, only order OpenDAL's own docs and are dropped).
 */
function docLines(doc: string[], keys: Map<string, string>): string[] {
  const lines: string[] = [];
  const tags: string[] = [];
  for (const line of doc) {
    const a = line.trim().match(ANNOTATION);
    if (a) {
      if (a[1] === "default") tags.push(`@default ${a[2]}`);
      continue;
    }
    if (line.includes("<!--")) {
      throw new Error(`an HTML comment the generator does not know: ${line}`);
    }
    lines.push(renameKeys(line.replace(RUSTDOC_LINK, "`$1`"), keys));
  }
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  return tags.length ? [...lines, "", ...tags] : lines;
}

/** Replaces each snake_case config key named in `text` with its camelCase. */
function renameKeys(text: string, keys: Map<string, string>): string {
  // A word after `::` is a Rust item (`CacheBuilder::time_to_live`), not a key.
  return text.replace(
    /(?<!::)\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g,
    (word) => keys.get(word) ?? word,
  );
}

/** A JSDoc block; comment ends in the text are escaped. */
function jsdoc(lines: string[], indent: string): string {
  const text = lines
    .map((l) => l.replaceAll("*/", "*\\/"))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  const body = text.split("\n").map((l) => `${indent} *${l ? " " + l : ""}`);
  return [`${indent}/**`, ...body, `${indent} */`].join("\n");
}

/** Example options as an object literal; a temporary directory is `dir`. */
function objectLiteral(example: Record<string, ExampleValue>): string {
  const literal = (v: ExampleValue) =>
    v === TEMP_DIR
      ? "dir"
      : usesTempDir(v)
      ? `\`\${dir}${v.slice(TEMP_DIR.length)}\``
      : JSON.stringify(v);
  const entries = Object.entries(example);
  return entries.length
    ? `{ ${entries.map(([k, v]) => `${k}: ${literal(v)}`).join(", ")} }`
    : "{}";
}

const KEY_VALUE = [
  "A key-value store, not a file system: each path is one key, a directory",
  "exists only as a prefix of keys, and what it can do beyond reading, writing,",
  "`stat` and deleting is in `capability()` (see the README's capability",
  "matrix).",
];

function render(s: Service, version: string, p: Parsed): string {
  const { doc } = p.struct;
  const fields = p.struct.fields.filter((f) => !f.skipped);
  const keys = new Map(fields.map((f) => [f.key, camel(f.key)]));
  const wanted = new Set(s.required ?? []);
  const props: string[] = [];
  const durations: string[] = [];
  const skipped: string[] = [];
  let required = false;
  for (const f of fields) {
    const name = camel(f.key);
    if (snake(name) !== f.key) {
      throw new Error(`${s.scheme}.${f.key}: ${name} does not map back`);
    }
    const t = tsType(f, p, s.scheme);
    if (!t) {
      skipped.push(`\`${name}\` (${f.type})`);
      continue;
    }
    if (t.duration) durations.push(name);
    const lines = f.doc.length
      ? docLines(f.doc, keys)
      : [`OpenDAL's \`${f.key}\`.`];
    if (t.duration) lines.push("", "In milliseconds.");
    if (f.deprecated) {
      const note = renameKeys(f.deprecated.note ?? "", keys);
      lines.push("", `@deprecated ${note}`.trim());
    }
    const isRequired = wanted.delete(name) || t.required;
    required ||= isRequired;
    props.push(
      `${jsdoc(lines, "  ")}\n  ${name}${isRequired ? "" : "?"}: ${t.ts};`,
    );
  }
  if (wanted.size) {
    throw new Error(`${s.scheme}: required ${[...wanted]} are not fields`);
  }
  for (const key of Object.keys(s.example)) {
    if (!keys.has(snake(key))) {
      throw new Error(`${s.scheme}: example option ${key} is not a field`);
    }
  }
  const usesDir = Object.values(s.example).some(usesTempDir);
  const example = [
    "@example",
    s.runnable ? "```ts" : "```ts ignore",
    `import { ${s.name}Operator } from "@opendal/core/services/${s.scheme}";`,
    "",
    ...(usesDir ? ["const dir = await Deno.makeTempDir();"] : []),
    `using op = new ${s.name}Operator(${objectLiteral(s.example)});`,
    ...(s.readOnly ? [`console.log(await op.exists("index.html"));`] : [
      `await op.write("hello.txt", "Hello!");`,
      `console.log(await op.readText("hello.txt")); // Hello!`,
    ]),
    "```",
  ];
  const structDoc = docLines(doc, keys);
  const moduleDoc = [
    `The ${s.scheme} service: ${s.summary}.`,
    "",
    ...(structDoc.length ? [...structDoc, ""] : []),
    ...(s.keyValue ? [...KEY_VALUE, ""] : []),
    ...(s.notes ? [...s.notes, ""] : []),
    ...example,
    ...(skipped.length
      ? [
        "",
        `Not configurable from here (no string form): ${skipped.join(", ")}.`,
      ]
      : []),
    "",
    "@module",
  ];
  return `// Generated by scripts/gen_services.ts from ${s.crate} ${version} (${p.struct.name}): do not edit.
${jsdoc(moduleDoc, "")}

import { Operator } from "../mod.ts";
import { toConfig } from "../src/config.ts";
import { operatorFromUri } from "../src/operator.ts";

/** Options of the ${s.scheme} service: OpenDAL's \`${p.struct.name}\`, in camelCase. */
export interface ${s.name}Options {
${props.join("\n")}
}

const DURATIONS: readonly string[] = ${JSON.stringify(durations)};

${
    jsdoc([
      `An operator on ${s.summary}.`,
      "",
      ...example,
    ], "")
  }
export class ${s.name}Operator extends Operator {
  /** Opens the service with \`options\`; a bad option is \`ConfigInvalid\`. */
  constructor(options: ${s.name}Options${required ? "" : " = {}"}) {
    super("${s.scheme}", toConfig(options, DURATIONS));
  }

  /**
   * Opens the service from a \`${s.scheme}://\` URI, parsed by OpenDAL (see
   * \`Operator.fromUri\`), with \`options\` on top; a URI of another scheme
   * is \`ConfigInvalid\`.
   */
  static override fromUri(
    uri: string,
    options: Partial<${s.name}Options> = {},
  ): ${s.name}Operator {
    const config = toConfig(options, DURATIONS);
    return operatorFromUri(${s.name}Operator, uri, config, "${s.scheme}");
  }
}
`;
}

async function crateDirs(): Promise<
  Map<string, { dir: string; version: string }>
> {
  const manifest = new URL("../rust/Cargo.toml", import.meta.url).pathname;
  const out = await new Deno.Command("cargo", {
    args: ["metadata", "--format-version", "1", "--manifest-path", manifest],
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error("cargo metadata failed");
  const meta = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    packages: { name: string; version: string; manifest_path: string }[];
  };
  return new Map(
    meta.packages.map((
      p,
    ) => [p.name, {
      dir: p.manifest_path.replace(/Cargo\.toml$/, ""),
      version: p.version,
    }]),
  );
}

/** Each service's crate parsed by `scripts/config_parser` (`syn`). */
async function parseCrates(
  crates: Map<string, { dir: string; version: string }>,
): Promise<Parsed[]> {
  const dirs = SERVICES.map((s) => {
    const crate = crates.get(s.crate);
    if (!crate) {
      throw new Error(
        `${s.crate} is not a dependency: enable services-${s.scheme} in rust/Cargo.toml`,
      );
    }
    return s.scheme === "memory"
      ? `${crate.dir}src/services/memory`
      : `${crate.dir}src`;
  });
  const parser = new URL("config_parser/Cargo.toml", import.meta.url).pathname;
  const out = await new Deno.Command("cargo", {
    args: [
      "run",
      "--quiet",
      "--release",
      "--manifest-path",
      parser,
      "--",
      ...dirs,
    ],
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error("scripts/config_parser failed (above)");
  const parsed = JSON.parse(new TextDecoder().decode(out.stdout)) as Parsed[];
  SERVICES.forEach((s, i) => {
    const p = parsed[i];
    if (!p.schemes.includes(s.scheme)) {
      throw new Error(`${s.crate} registers ${p.schemes}, not ${s.scheme}`);
    }
    if (p.struct.name !== `${s.name}Config`) {
      throw new Error(
        `${s.crate}'s config is ${p.struct.name}, not ${s.name}Config`,
      );
    }
  });
  return parsed;
}

const check = Deno.args.includes("--check");
const crates = await crateDirs();
const parsed = await parseCrates(crates);
const stale: string[] = [];
for (const [i, s] of SERVICES.entries()) {
  const { version } = crates.get(s.crate)!;
  const path = new URL(`../services/${s.scheme}.ts`, import.meta.url);
  const fmt = await new Deno.Command("deno", {
    args: ["fmt", "--ext=ts", "-"],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = fmt.stdin.getWriter();
  await writer.write(
    new TextEncoder().encode(render(s, version, parsed[i])),
  );
  await writer.close();
  const formatted = new TextDecoder().decode((await fmt.output()).stdout);
  const current = await Deno.readTextFile(path).catch(() => "");
  if (current === formatted) continue;
  stale.push(`services/${s.scheme}.ts`);
  if (!check) await Deno.writeTextFile(path, formatted);
}
if (check && stale.length) {
  console.error(
    `out of date (run deno task gen:services): ${stale.join(", ")}`,
  );
  Deno.exit(1);
}
console.log(
  stale.length ? `wrote ${stale.join(", ")}` : "services/ is up to date",
);
