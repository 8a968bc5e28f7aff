/**
 * The operators under test and the helpers every behavior test shares.
 *
 * Like OpenDAL's own behavior suites:
 * - `OPENDAL_TEST=<scheme>` picks the service (a comma list is accepted);
 *   unset, the suites run for both `memory` and `fs`.
 * - `OPENDAL_<SCHEME>_<KEY>=value` configures it (the key is lowercased:
 *   `OPENDAL_FS_ROOT=/tmp/x` gives `root=/tmp/x`).
 * - Each run works below a random root, `<root>/<uuid>/`, unless
 *   `OPENDAL_DISABLE_RANDOM_ROOT=true`. For `fs` without a configured root,
 *   the root is a fresh temporary directory, removed when the run ends.
 * - `OPENDAL_TEST_CAPABILITY_OVERRIDES=write_can_multi=false,list=true`
 *   overrides capability flags (snake_case or camelCase keys).
 * - `OPENDAL_TEST_EXCLUSIVE_KEY=datadir` names the option that locates an
 *   embedded store a process can open only once (sled, redb and persy lock
 *   their files): each operator built here gets its own store, that
 *   option's value with `-<uuid>` appended.
 *
 * Every case is registered with `behavior()` (an async and a `(sync)`
 * flavour, the latter calling only the `*Sync` methods) or `behaviorAsync()`
 * (streams, signals: no blocking twin). A case whose capability gate is
 * false is registered as ignored, so it never shows as passed.
 *
 * @module
 */

import assert from "node:assert/strict";
import { configFromEnv } from "../../src/env_config.ts";
import v8 from "node:v8";
import vm from "node:vm";
import {
  CapabilityOverrideLayer,
  type CapabilityOverrides,
} from "@opendal/core/layers";
import {
  type Capability,
  type CopyOptions,
  type DeleteOptions,
  type Entry,
  type ErrorKind,
  type ListOptions,
  type Metadata,
  OpendalError,
  Operator,
  type Reader,
  type ReaderOptions,
  type ReadOptions,
  type RenameOptions,
  type StatOptions,
  type SyncWriteData,
  type WriteOptions,
  type Writer,
} from "@opendal/core";

// ---------------------------------------------------------------------------
// Operators from the environment
// ---------------------------------------------------------------------------

/** One service under test. */
export interface Service {
  /** The scheme, as passed to `new Operator`. */
  readonly scheme: string;
  /** The operator, rooted at this run's (random) root. */
  readonly op: Operator;
  /** Its capability, after `OPENDAL_TEST_CAPABILITY_OVERRIDES`. */
  readonly cap: Capability;
  /** The config it was built with. */
  readonly config: Readonly<Record<string, string>>;
}

const env = (name: string): string | undefined => Deno.env.get(name);

/** The schemes this run tests. */
export function testedSchemes(): string[] {
  const value = env("OPENDAL_TEST")?.trim();
  if (!value) return ["memory", "fs"];
  return value.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
}

export { configFromEnv };

const camel = (s: string): string =>
  s.replace(/[_-]([a-z])/g, (_, c: string) => c.toUpperCase());

/** `OPENDAL_TEST_CAPABILITY_OVERRIDES=write_can_append=false,...` as an object. */
export function overridesFromEnv(): CapabilityOverrides {
  const spec = env("OPENDAL_TEST_CAPABILITY_OVERRIDES")?.trim();
  const out: Record<string, boolean | number> = {};
  for (const item of spec ? spec.split(",") : []) {
    const [key, value = "true"] = item.split("=").map((s) => s.trim());
    if (!key) continue;
    out[camel(key)] = value === "true"
      ? true
      : value === "false"
      ? false
      : Number(value);
  }
  return out as CapabilityOverrides;
}

const cleanups: string[] = [];
globalThis.addEventListener("unload", () => {
  for (const dir of cleanups) {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch {
      // Already gone, or not ours to remove.
    }
  }
});

const randomRoot = env("OPENDAL_DISABLE_RANDOM_ROOT") !== "true";
const exclusiveKey = env("OPENDAL_TEST_EXCLUSIVE_KEY")?.trim();

/** Builds the operator for `scheme` from the environment. */
export function buildService(scheme: string): Service {
  const config = configFromEnv(scheme);
  // The operators built before this one may still be open.
  if (exclusiveKey && config[exclusiveKey] !== undefined) {
    config[exclusiveKey] += `-${crypto.randomUUID()}`;
  }
  let base = config.root;
  if (scheme === "fs" && !base) {
    base = Deno.makeTempDirSync({ prefix: "opendal-deno-behavior-" });
    cleanups.push(base);
  }
  if (randomRoot) {
    const id = crypto.randomUUID();
    const parent = base ?? "/";
    config.root = `${parent}${parent.endsWith("/") ? "" : "/"}${id}/`;
    // An fs root we made up is removed when the run ends.
    if (scheme === "fs" && base !== config.root) cleanups.push(config.root);
  } else if (base !== undefined) {
    config.root = base;
  }
  let op = new Operator(scheme, config);
  // Like OpenDAL's CI: switch off what the server lacks, in the operator itself.
  const overrides = overridesFromEnv();
  if (Object.keys(overrides).length) {
    op = op.layer(new CapabilityOverrideLayer(overrides));
  }
  return { scheme, op, cap: op.capability(), config };
}

/** The services of this run, built once per test module. */
export const services: readonly Service[] = testedSchemes().map(buildService);

// ---------------------------------------------------------------------------
// Flavours: every call as a promise, made through the async or the sync API
// ---------------------------------------------------------------------------

/** A `Reader` driven through one flavour. */
export interface ReaderApi {
  readonly raw: Reader;
  read(offset: number, length?: number): Promise<Uint8Array>;
  close(): void;
}

/** A `Writer` driven through one flavour. */
export interface WriterApi {
  readonly raw: Writer;
  write(data: SyncWriteData): Promise<void>;
  close(): Promise<Metadata>;
  abort(): Promise<void>;
}

/** The operator's API, every call a promise, in one flavour. */
export interface Api {
  check(): Promise<void>;
  stat(path: string, options?: StatOptions): Promise<Metadata>;
  exists(path: string): Promise<boolean>;
  read(path: string, options?: ReadOptions): Promise<Uint8Array>;
  readText(path: string, options?: ReadOptions): Promise<string>;
  readInto(
    path: string,
    buffer: Uint8Array,
    options?: ReadOptions,
  ): Promise<number>;
  write(
    path: string,
    data: SyncWriteData,
    options?: WriteOptions,
  ): Promise<Metadata>;
  delete(path: string, options?: DeleteOptions): Promise<void>;
  removeAll(path: string): Promise<void>;
  createDir(path: string): Promise<void>;
  copy(from: string, to: string, options?: CopyOptions): Promise<void>;
  rename(from: string, to: string, options?: RenameOptions): Promise<void>;
  list(path: string, options?: ListOptions): Promise<Entry[]>;
  reader(path: string, options?: ReaderOptions): Promise<ReaderApi>;
  writer(path: string, options?: WriteOptions): Promise<WriterApi>;
}

function asyncApi(op: Operator): Api {
  const wrapReader = (r: Reader): ReaderApi => ({
    raw: r,
    read: (offset, length) => r.read(offset, length),
    close: () => r.close(),
  });
  const wrapWriter = (w: Writer): WriterApi => ({
    raw: w,
    write: (d) => w.write(d),
    close: () => w.close(),
    abort: () => w.abort(),
  });
  return {
    check: () => op.check(),
    stat: (p, o) => op.stat(p, o),
    exists: (p) => op.exists(p),
    read: (p, o) => op.read(p, o),
    readText: (p, o) => op.readText(p, o),
    readInto: (p, b, o) => op.readInto(p, b, o),
    write: (p, d, o) => op.write(p, d, o),
    delete: (p, o) => op.delete(p, o),
    removeAll: (p) => op.removeAll(p),
    createDir: (p) => op.createDir(p),
    copy: (a, b, o) => op.copy(a, b, o),
    rename: (a, b, o) => op.rename(a, b, o),
    list: (p, o) => Array.fromAsync(op.list(p, o)),
    reader: async (p, o) => wrapReader(await op.reader(p, o)),
    writer: async (p, o) => wrapWriter(await op.writer(p, o)),
  };
}

/** Runs `f` (a blocking call) and settles a promise with its outcome. */
function settle<T>(f: () => T): Promise<T> {
  try {
    return Promise.resolve(f());
  } catch (e) {
    return Promise.reject(e);
  }
}

function syncApi(op: Operator): Api {
  const wrapReader = (r: Reader): ReaderApi => ({
    raw: r,
    read: (offset, length) => settle(() => r.readSync(offset, length)),
    close: () => r.close(),
  });
  const wrapWriter = (w: Writer): WriterApi => ({
    raw: w,
    write: (d) => settle(() => w.writeSync(d)),
    close: () => settle(() => w.closeSync()),
    abort: () => settle(() => w.abortSync()),
  });
  return {
    check: () => settle(() => op.checkSync()),
    stat: (p, o) => settle(() => op.statSync(p, o)),
    exists: (p) => settle(() => op.existsSync(p)),
    read: (p, o) => settle(() => op.readSync(p, o)),
    readText: (p, o) => settle(() => op.readTextSync(p, o)),
    readInto: (p, b, o) => settle(() => op.readIntoSync(p, b, o)),
    write: (p, d, o) => settle(() => op.writeSync(p, d, o)),
    delete: (p, o) => settle(() => op.deleteSync(p, o)),
    removeAll: (p) => settle(() => op.removeAllSync(p)),
    createDir: (p) => settle(() => op.createDirSync(p)),
    copy: (a, b, o) => settle(() => op.copySync(a, b, o)),
    rename: (a, b, o) => settle(() => op.renameSync(a, b, o)),
    list: (p, o) => settle(() => [...op.listSync(p, o)]),
    reader: (p, o) => settle(() => wrapReader(op.readerSync(p, o))),
    writer: (p, o) => settle(() => wrapWriter(op.writerSync(p, o))),
  };
}

/** What a case gets. */
export interface Ctx {
  readonly scheme: string;
  readonly op: Operator;
  readonly cap: Capability;
  /** True in the `(sync)` flavour. */
  readonly sync: boolean;
  /** The operator's API in this case's flavour. */
  readonly api: Api;
}

/** A capability gate. */
export type Gate = (cap: Capability, scheme?: string) => boolean;

/**
 * Cases the server under test cannot pass for a reason no capability covers
 * (an emulator's bug): `OPENDAL_TEST_KNOWN_GAPS`, "|"-separated case names.
 * They are reported as ignored, never as passed.
 */
const knownGaps = new Set(
  (env("OPENDAL_TEST_KNOWN_GAPS") ?? "").split("|").map((s) => s.trim())
    .filter(Boolean),
);

function register(
  name: string,
  gate: Gate,
  sync: boolean,
  fn: (ctx: Ctx) => Promise<void> | void,
): void {
  for (const { scheme, op, cap } of services) {
    const api = sync ? syncApi(op) : asyncApi(op);
    Deno.test({
      name: `${scheme}: ${name}${sync ? " (sync)" : ""}`,
      ignore: !gate(cap, scheme) || knownGaps.has(name),
      fn: () => fn({ scheme, op, cap, sync, api }),
    });
  }
}

/** Registers `name` twice per service: async, and `(sync)` over `*Sync`. */
export function behavior(
  name: string,
  gate: Gate,
  fn: (ctx: Ctx) => Promise<void> | void,
): void {
  register(name, gate, false, fn);
  register(name, gate, true, fn);
}

/** Registers `name` once per service, for what has no blocking twin. */
export function behaviorAsync(
  name: string,
  gate: Gate,
  fn: (ctx: Ctx) => Promise<void> | void,
): void {
  register(name, gate, false, fn);
}

// ---------------------------------------------------------------------------
// Data, paths, assertions
// ---------------------------------------------------------------------------

/** Whether the service takes an object of `size` bytes. */
export const fits = (cap: Capability, size: number): boolean =>
  cap.writeTotalMaxSize === undefined || size <= cap.writeTotalMaxSize;

/** A fresh file path. */
export const newPath = (): string => crypto.randomUUID();

/** A fresh directory path (ending with `/`). */
export const newDir = (): string => `${crypto.randomUUID()}/`;

/** `size` random bytes. */
export function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) {
    crypto.getRandomValues(out.subarray(i, Math.min(size, i + 65536)));
  }
  return out;
}

/** Random content of a random size (1 B to 256 KiB, within the service's limits). */
export function genBytes(cap: Capability): Uint8Array<ArrayBuffer> {
  let max = 256 * 1024;
  if (cap.writeTotalMaxSize !== undefined) {
    max = Math.min(max, cap.writeTotalMaxSize);
  }
  return randomBytes(1 + Math.floor(Math.random() * max));
}

/** The hex SHA-256 of `data`. */
export async function sha256(data: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    data as Uint8Array<ArrayBuffer>,
  );
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

/** Asserts that two byte arrays are equal, comparing length and SHA-256. */
export async function assertSameBytes(
  actual: Uint8Array,
  expected: Uint8Array,
  message?: string,
): Promise<void> {
  assert.equal(actual.byteLength, expected.byteLength, message ?? "length");
  assert.equal(
    await sha256(actual),
    await sha256(expected),
    message ?? "sha256",
  );
}

/** The Deno error class the binding promises for each kind. */
const DENO_CLASS: Partial<Record<ErrorKind, new (m: string) => Error>> = {
  NotFound: Deno.errors.NotFound,
  AlreadyExists: Deno.errors.AlreadyExists,
  PermissionDenied: Deno.errors.PermissionDenied,
  IsADirectory: Deno.errors.IsADirectory,
  NotADirectory: Deno.errors.NotADirectory,
  Unsupported: Deno.errors.NotSupported,
};

/** Asserts that `e` is an `OpendalError` of `kind` (and of Deno's class). */
export function assertKind(e: unknown, kind: ErrorKind): OpendalError {
  assert.ok(
    e instanceof OpendalError,
    `expected an OpendalError of kind ${kind}, got ${e}`,
  );
  assert.equal(
    e.kind,
    kind,
    `expected kind ${kind}, got ${e.kind}: ${e.message}`,
  );
  const DenoClass = DENO_CLASS[kind];
  if (DenoClass) {
    assert.ok(e instanceof DenoClass, `${kind} must be a ${DenoClass.name}`);
  }
  return e;
}

/**
 * Asserts that `f` (a call or a promise) fails with `kind`, whether it throws
 * at once or rejects. Returns the error.
 */
export async function assertFails(
  f: Promise<unknown> | (() => unknown),
  kind: ErrorKind,
  what?: string,
): Promise<OpendalError> {
  const check = (e: unknown): OpendalError => {
    try {
      return assertKind(e, kind);
    } catch (failure) {
      if (what) {
        (failure as Error).message = `${what}: ${(failure as Error).message}`;
      }
      throw failure;
    }
  };
  let outcome: unknown;
  try {
    outcome = typeof f === "function" ? f() : f;
  } catch (e) {
    return check(e);
  }
  try {
    await outcome;
  } catch (e) {
    return check(e);
  }
  assert.fail(
    `${
      what ? `${what}: ` : ""
    }expected a ${kind} error, but the call succeeded`,
  );
}

/** Asserts that `f` throws at once (no promise) an error of `kind`. */
export function assertThrowsNow(
  f: () => unknown,
  kind: ErrorKind,
): OpendalError {
  try {
    f();
  } catch (e) {
    return assertKind(e, kind);
  }
  assert.fail(`expected ${kind} to be thrown synchronously`);
}

let gc: (() => void) | undefined;

/** Runs a full garbage collection, then lets finalizers run. */
export async function collectGarbage(): Promise<void> {
  if (!gc) {
    v8.setFlagsFromString("--expose-gc");
    gc = vm.runInNewContext("gc") as () => void;
  }
  gc();
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
}

/** Paths of `entries`, sorted. */
export const pathsOf = (entries: Entry[]): string[] =>
  entries.map((e) => e.path).sort();

export { assert };
