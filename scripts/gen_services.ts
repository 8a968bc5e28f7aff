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

/** One service module to generate. */
interface Service {
  /** The scheme passed to OpenDAL. */
  scheme: string;
  /** The class name prefix: `S3` gives `S3Operator` and `S3Options`. */
  name: string;
  /** The crate that defines the config, and the file inside it. */
  crate: string;
  file: string;
  /** The config struct. */
  struct: string;
  /** A one-line summary for the module doc. */
  summary: string;
  /** Example options for the docs (TypeScript object literal). */
  example: string;
  /** Whether the example runs anywhere (no server needed). */
  runnable?: boolean;
}

const SERVICES: Service[] = [
  svc(
    "fs",
    "Fs",
    "the local filesystem",
    "{ root: await Deno.makeTempDir() }",
    true,
  ),
  {
    ...svc(
      "memory",
      "Memory",
      "memory owned by the operator: handy for tests and caches",
      "{}",
      true,
    ),
    crate: "opendal-core",
    file: "src/services/memory/config.rs",
  },
  svc(
    "s3",
    "S3",
    "Amazon S3 and S3-compatible object stores",
    '{ bucket: "photos", region: "us-east-1" }',
  ),
  svc(
    "azblob",
    "Azblob",
    "Azure Blob Storage",
    '{ container: "photos", endpoint: "https://account.blob.core.windows.net" }',
  ),
  svc("gcs", "Gcs", "Google Cloud Storage", '{ bucket: "photos" }'),
  svc(
    "http",
    "Http",
    "read-only access to files served over HTTP",
    '{ endpoint: "https://example.com/files/" }',
  ),
  svc(
    "webdav",
    "Webdav",
    "WebDAV servers",
    '{ endpoint: "https://dav.example.com" }',
  ),
  svc(
    "sftp",
    "Sftp",
    "SFTP servers (through the system's `ssh` client)",
    '{ endpoint: "ssh://backup.example.com", user: "backup" }',
  ),
  svc(
    "redis",
    "Redis",
    "Redis as a key-value store",
    '{ endpoint: "tcp://127.0.0.1:6379" }',
  ),
  svc(
    "postgresql",
    "Postgresql",
    "a PostgreSQL table as a key-value store",
    '{ connectionString: "postgresql://user:password@127.0.0.1:5432/db", table: "data" }',
  ),
  svc(
    "mysql",
    "Mysql",
    "a MySQL or MariaDB table as a key-value store",
    '{ connectionString: "mysql://user:password@127.0.0.1:3306/db", table: "data" }',
  ),
  svc(
    "sqlite",
    "Sqlite",
    "an SQLite table as a key-value store",
    '{ connectionString: "file:///var/data/store.db", table: "data" }',
  ),
  svc(
    "memcached",
    "Memcached",
    "memcached as a key-value store",
    '{ endpoint: "tcp://127.0.0.1:11211" }',
  ),
  svc(
    "etcd",
    "Etcd",
    "etcd as a key-value store",
    '{ endpoints: "http://127.0.0.1:2379" }',
  ),
];

function svc(
  scheme: string,
  name: string,
  summary: string,
  example: string,
  runnable = false,
): Service {
  return {
    scheme,
    name,
    crate: `opendal-service-${scheme}`,
    file: "src/config.rs",
    struct: `${name}Config`,
    summary,
    example,
    runnable,
  };
}

/** A config field as parsed from Rust. */
interface Field {
  rust: string;
  type: string;
  doc: string[];
  deprecated?: string;
}

/** The TypeScript type of a Rust field type, or undefined if it cannot travel as a string. */
function tsType(
  rust: string,
): { ts: string; required: boolean; duration?: boolean } | undefined {
  const inner = rust.match(/^Option<(.+)>$/)?.[1];
  const t = inner ?? rust;
  if (t === "String") return { ts: "string", required: inner === undefined };
  if (t === "bool") return { ts: "boolean", required: false };
  if (/^(usize|u64|u32|u16|u8|i64|i32|f64|f32)$/.test(t)) {
    return { ts: "number", required: false };
  }
  if (/^(SignedDuration|Duration)$/.test(t)) {
    return { ts: "number", required: false, duration: true };
  }
  return undefined;
}

/** Parses the fields (with doc comments) of `pub struct <name> { ... }`. */
function parseStruct(
  source: string,
  name: string,
): { doc: string[]; fields: Field[] } {
  const lines = source.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`pub struct ${name} {`));
  if (start < 0) throw new Error(`struct ${name} not found`);
  const doc: string[] = [];
  for (let i = start - 1; i >= 0 && /^(\/\/\/|#\[)/.test(lines[i]); i--) {
    if (lines[i].startsWith("///")) {
      doc.unshift(lines[i].replace(/^\/\/\/ ?/, ""));
    }
  }
  const fields: Field[] = [];
  let pending: string[] = [];
  let attr = "";
  for (let i = start + 1; i < lines.length && !lines[i].startsWith("}"); i++) {
    const line = lines[i].trim();
    if (line.startsWith("///")) {
      pending.push(line.replace(/^\/\/\/ ?/, ""));
    } else if (line.startsWith("#[") || attr) {
      attr += line;
      if (balanced(attr)) {
        const note = attr.match(/deprecated\([^)]*note\s*=\s*"([^"]*)"/)?.[1];
        if (attr.includes("deprecated")) {
          pending.push(`@deprecated ${note ?? ""}`.trim());
        }
        attr = "";
      }
    } else {
      const m = line.match(/^pub (\w+): (.+),$/);
      if (m) {
        const deprecated = pending.find((l) => l.startsWith("@deprecated"));
        fields.push({
          rust: m[1],
          type: m[2],
          doc: pending.filter((l) => !l.startsWith("@deprecated")),
          deprecated,
        });
      }
      pending = [];
    }
  }
  return { doc, fields };
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === "[" || c === "(") depth++;
    if (c === "]" || c === ")") depth--;
  }
  return depth === 0;
}

const camel = (s: string): string =>
  s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

// [`Name`] or [`Name`](path): a rustdoc link, shown as plain code.
const RUSTDOC_LINK = new RegExp("\\[`([^`\\]]+)`\\](\\([^)]*\\))?", "g");

/** Rust doc markdown to a JSDoc block: rustdoc links become code; comment ends are escaped. */
function jsdoc(lines: string[], indent: string): string {
  const text = lines
    .map((l) => l.replace(RUSTDOC_LINK, "`$1`").replaceAll("*/", "*\\/"))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  const body = text.split("\n").map((l) => `${indent} *${l ? " " + l : ""}`);
  return [`${indent}/**`, ...body, `${indent} */`].join("\n");
}

function render(s: Service, version: string, source: string): string {
  const { doc, fields } = parseStruct(source, s.struct);
  const props: string[] = [];
  const durations: string[] = [];
  const skipped: string[] = [];
  for (const f of fields) {
    const t = tsType(f.type);
    if (!t) {
      skipped.push(`\`${f.rust}\` (${f.type})`);
      continue;
    }
    if (t.duration) durations.push(f.rust);
    const docLines = f.doc.length ? [...f.doc] : [`OpenDAL's \`${f.rust}\`.`];
    if (t.duration) docLines.push("", "In milliseconds.");
    if (f.deprecated) docLines.push("", f.deprecated);
    props.push(
      `${jsdoc(docLines, "  ")}\n  ${camel(f.rust)}${
        t.required ? "" : "?"
      }: ${t.ts};`,
    );
  }
  const required = fields.some((f) => tsType(f.type)?.required);
  const fence = s.runnable ? "```ts" : "```ts ignore";
  const example = [
    "@example",
    fence,
    `import { ${s.name}Operator } from "@opendal/core/services/${s.scheme}";`,
    "",
    `using op = new ${s.name}Operator(${s.example});`,
    `await op.write("hello.txt", "Hello!");`,
    `console.log(await op.readText("hello.txt")); // Hello!`,
    "```",
  ];
  if (s.scheme === "http") {
    example.splice(5, 2, `console.log(await op.exists("index.html"));`);
  }
  const moduleDoc = [
    `The ${s.scheme} service: ${s.summary}.`,
    "",
    ...(doc.length ? [...doc, ""] : []),
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
  return `// Generated by scripts/gen_services.ts from ${s.crate} ${version} (${s.struct}): do not edit.
${jsdoc(moduleDoc, "")}

import { Operator } from "../mod.ts";
import { toConfig } from "../src/config.ts";

/** Options of the ${s.scheme} service: OpenDAL's \`${s.struct}\`, in camelCase. */
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

const check = Deno.args.includes("--check");
const crates = await crateDirs();
const stale: string[] = [];
for (const s of SERVICES) {
  const crate = crates.get(s.crate);
  if (!crate) {
    throw new Error(
      `${s.crate} is not a dependency: enable services-${s.scheme} in rust/Cargo.toml`,
    );
  }
  const source = await Deno.readTextFile(`${crate.dir}${s.file}`);
  const path = new URL(`../services/${s.scheme}.ts`, import.meta.url);
  const fmt = await new Deno.Command("deno", {
    args: ["fmt", "--ext=ts", "-"],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = fmt.stdin.getWriter();
  await writer.write(
    new TextEncoder().encode(render(s, crate.version, source)),
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
