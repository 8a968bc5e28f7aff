/**
 * The command line: parses flags, picks the command, runs it, and turns
 * what went wrong into a message and an exit code.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type Command, Context, type Flags } from "./command.ts";
import { cat } from "./commands/cat.ts";
import { cp, mv } from "./commands/cp.ts";
import { ls } from "./commands/ls.ts";
import { presign } from "./commands/presign.ts";
import { rm } from "./commands/rm.ts";
import { stat } from "./commands/stat.ts";
import {
  describe,
  detailOf,
  EXIT,
  exitCodeOf,
  kindOf,
  messageText,
  UsageError,
} from "./exit.ts";
import { err, jsonLine, out } from "./format.ts";
import { parseOptions } from "./location.ts";

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  ls,
  stat,
  cat,
  cp,
  mv,
  rm,
  presign,
];

const TOOL = "opendal";

const FLAG_SPEC = {
  option: { type: "string", short: "o", multiple: true },
  json: { type: "boolean" },
  progress: { type: "boolean" },
  "no-progress": { type: "boolean" },
  recursive: { type: "boolean", short: "r" },
  long: { type: "boolean", short: "l" },
  force: { type: "boolean", short: "f" },
  expire: { type: "string" },
  "content-type": { type: "string" },
  verbose: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
} as const;

/** Flags every command takes. */
const COMMON = new Set(["option", "json", "verbose", "help"]);

const GENERAL_HELP =
  `${TOOL}: files on any storage service OpenDAL reaches, from the command line.

Usage: ${TOOL} <command> [flags] <uri>...

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(9)}${c.summary}`).join("\n")}

Locations (URIs):
  /abs/path, rel/path, fs:///abs/path   the local filesystem
  memory://path                         memory (lives for one command)
  s3://bucket/key   gcs://bucket/key   azblob://container/key
  webdav://host:port/path               WebDAV over https (webdav+http:// for http)
  http://host/path, https://host/path   read-only HTTP
  sftp://user@host:port/path
  redis://host:port/key (rediss:// for TLS)   memcached://host:port/key
  etcd://host:port/key (etcd+https://)
  postgresql://user:pw@host:port/<database>/key    mysql://...same
  <scheme>:///path    no authority: the bucket, endpoint, ... come from options
                      (s3:///key, sqlite:///key, any scheme the library has)
  The path is the object's full path in the service (the root is "/"),
  taken as written: no percent-decoding, no query string.

Options of the service, later ones winning:
  OPENDAL_<SCHEME>_<KEY>=value   environment variables (needs --allow-env),
                                 e.g. OPENDAL_S3_ENDPOINT, OPENDAL_S3_REGION
  what the URI says              bucket, container, endpoint, root "/"
  -o, --option key=value         OpenDAL's config keys, e.g. -o region=eu-west-1;
                                 -o root=/data makes URI paths relative to /data

Common flags:
  --json        machine-readable output on stdout (see each command's help);
                errors then also go to stderr as {"error": {"kind", "message"}}
  -v, --verbose on failure, also everything OpenDAL reported (service, request,
                every underlying error): the "detail" of a JSON error
  -h, --help    help for the tool, or for one command: ${TOOL} <command> --help

Exit codes: 0 ok, 1 failed, 2 bad command line or config (ConfigInvalid),
3 not found (NotFound), 130 interrupted (Ctrl-C: a staged upload is discarded).`;

function commandHelp(c: Command): string {
  return `Usage: ${TOOL} ${c.name} ${c.usage}

${c.summary[0].toUpperCase()}${c.summary.slice(1)}.

${c.help}
  -o key=value      a service option (see ${TOOL} --help)
  -h, --help        this help`;
}

function flagsFrom(
  values: Record<string, string | boolean | string[] | undefined>,
): Flags {
  const expire = values.expire === undefined ? 3600 : Number(values.expire);
  if (!Number.isInteger(expire) || expire <= 0) {
    throw new UsageError(
      `--expire must be a positive whole number of seconds, got "${values.expire}"`,
    );
  }
  if (values.progress && values["no-progress"]) {
    throw new UsageError("--progress and --no-progress contradict each other");
  }
  return {
    json: values.json === true,
    progress: values.progress
      ? true
      : values["no-progress"]
      ? false
      : undefined,
    recursive: values.recursive === true,
    long: values.long === true,
    force: values.force === true,
    verbose: values.verbose === true,
    contentType: values["content-type"] as string | undefined,
    expire,
    options: parseOptions((values.option as string[] | undefined) ?? []),
  };
}

/** The command and its flags for `args`, or the help text to print. */
function parse(
  args: readonly string[],
): { help: string } | { command: Command; flags: Flags; rest: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: FLAG_SPEC,
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message} (see ${TOOL} --help)`);
  }
  const { values, positionals } = parsed;
  let [name, ...rest] = positionals;
  if (name === "help") {
    [name, ...rest] = rest;
    if (name === undefined) return { help: GENERAL_HELP };
    values.help = true;
  }
  if (name === undefined) {
    if (values.help) return { help: GENERAL_HELP };
    throw new UsageError(`no command given (see ${TOOL} --help)`);
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    throw new UsageError(
      `unknown command "${name}": one of ${
        COMMANDS.map((c) => c.name).join(", ")
      }`,
    );
  }
  if (values.help) return { help: commandHelp(command) };
  const allowed = new Set<string>([...COMMON, ...command.flags]);
  if (command.flags.includes("progress")) allowed.add("no-progress");
  if (command.flags.includes("contentType")) allowed.add("content-type");
  for (const flag of Object.keys(values)) {
    if (!allowed.has(flag)) {
      throw new UsageError(
        `${name} does not take --${flag} (see ${TOOL} ${name} --help)`,
      );
    }
  }
  const [min, max] = command.arity;
  if (rest.length < min || rest.length > max) {
    const wanted = min === max
      ? `${min}`
      : max === Infinity
      ? `at least ${min}`
      : `${min} to ${max}`;
    throw new UsageError(
      `${name} takes ${wanted} argument${
        wanted === "1" ? "" : "s"
      }, got ${rest.length}: ${TOOL} ${name} ${command.usage}`,
    );
  }
  return { command, flags: flagsFrom(values), rest };
}

/**
 * Runs the tool with `args` (as `Deno.args`) and resolves to the exit code;
 * output goes to stdout, errors and progress to stderr. It never throws.
 * Aborting `signal` stops the command (exit code 130).
 */
export async function run(
  args: readonly string[],
  signal?: AbortSignal,
): Promise<number> {
  const json = args.includes("--json");
  const verbose = args.includes("--verbose") || args.includes("-v");
  // Kept past its disposal: it knows how the user wrote each path.
  let opened: Context | undefined;
  try {
    const parsed = parse(args);
    if ("help" in parsed) {
      await out(`${parsed.help}\n`);
      return EXIT.ok;
    }
    using ctx = new Context(parsed.flags, signal);
    opened = ctx;
    await parsed.command.run(ctx, parsed.rest);
    return EXIT.ok;
  } catch (e) {
    // `cat big | head`: the reader went away; that is not a failure.
    if (e instanceof Deno.errors.BrokenPipe) return EXIT.ok;
    const message = opened?.messageOf(e) ?? messageText(e);
    try {
      await err(
        json
          ? jsonLine({
            error: {
              kind: kindOf(e),
              message,
              ...(verbose ? { detail: detailOf(e) } : {}),
            },
          })
          : `${describe(e, verbose, message)}\n`,
      );
    } catch {
      // Nowhere left to report to.
    }
    return exitCodeOf(e);
  }
}
