/**
 * The in-process implementations the benchmark compares, behind one shape:
 * this module, npm:opendal (OpenDAL's Node.js binding, loaded through
 * Deno's Node-API support) and Deno's own file APIs.
 *
 * @module
 */

import { createRequire } from "node:module";
import { Operator } from "@opendal/core";

/**
 * The operations every workload is made of. `readInto` reads into one
 * reused buffer where the column can (this module, Deno's `FsFile.read`);
 * npm:opendal has no such call, so its column is its `read`, and raw Rust's
 * is `read` (the floor either way).
 */
export type OpName = "stat" | "read" | "readInto" | "write" | "list";

/** One reused buffer per size, for `readInto`. */
function scratch(): (size: number) => Uint8Array {
  const buffers = new Map<number, Uint8Array>();
  return (size) => {
    let b = buffers.get(size);
    if (!b) buffers.set(size, b = new Uint8Array(size));
    return b;
  };
}

/**
 * One operation on `path`. It returns a number the caller checks: the
 * length read, or the entries listed (0 where there is nothing to check).
 */
export type SyncOp = (path: string, data: Uint8Array) => number;
/** The asynchronous twin of `SyncOp`. */
export type AsyncOp = (path: string, data: Uint8Array) => Promise<number>;

/** What every column implements. */
export interface Impl {
  sync: Record<OpName, SyncOp>;
  async: Record<OpName, AsyncOp>;
  /** The content length of `path`, for the checks. */
  size(path: string): number;
  /** The bytes at `path`, for the setup check. */
  readBack(path: string): Uint8Array;
  /** The bytes at `path`, read asynchronously (kept by the peak-RSS test). */
  readAsync(path: string): Promise<Uint8Array>;
  close(): void;
}

/** The part of npm:opendal's `Operator` used here (see its index.d.ts). */
interface NpmOperator {
  writeSync(path: string, data: Uint8Array): unknown;
  readSync(path: string): Uint8Array;
  statSync(path: string): { contentLength: bigint | null };
  listSync(path: string): unknown[];
  write(path: string, data: Uint8Array): Promise<unknown>;
  read(path: string): Promise<Uint8Array>;
  stat(path: string): Promise<unknown>;
  list(path: string): Promise<unknown[]>;
}

/** npm:opendal's module. */
export type NpmOpendal = {
  Operator: new (
    scheme: string,
    options: Record<string, string>,
  ) => NpmOperator;
};

const npmDir = new URL("./npm/", import.meta.url);

/**
 * Loads npm:opendal from bench/npm, installing it first if needed. Deno's
 * own `npm:` resolution fails on this release, so it goes through
 * `require` like in Node.
 */
export async function loadNpmOpendal(): Promise<NpmOpendal> {
  const installed = new URL("node_modules/opendal/package.json", npmDir);
  if (!await exists(installed)) {
    const script = new URL(
      "../scripts/install_npm_opendal.sh",
      import.meta.url,
    );
    const { success } = await new Deno.Command(script.pathname, {
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (!success) throw new Error("installing npm:opendal failed");
  }
  return createRequire(npmDir)("opendal") as NpmOpendal;
}

async function exists(url: URL): Promise<boolean> {
  try {
    await Deno.stat(url);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Counts what an iterable yields (a listing is only done once consumed). */
function count(items: Iterable<unknown>): number {
  let n = 0;
  for (const _ of items) n++;
  return n;
}

async function countAsync(items: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of items) n++;
  return n;
}

/** This module, on `op`. */
export function thisModule(op: Operator): Impl {
  const buffer = scratch();
  return {
    sync: {
      stat: (p) => (op.statSync(p), 0),
      read: (p) => op.readSync(p).length,
      readInto: (p, d) => op.readIntoSync(p, buffer(d.length)),
      write: (p, d) => (op.writeSync(p, d), 0),
      list: (p) => count(op.listSync(p)),
    },
    async: {
      stat: async (p) => (await op.stat(p), 0),
      read: async (p) => (await op.read(p)).length,
      readInto: (p, d) => op.readInto(p, buffer(d.length)),
      write: async (p, d) => (await op.write(p, d), 0),
      list: (p) => countAsync(op.list(p)),
    },
    size: (p) => op.statSync(p).contentLength,
    readBack: (p) => op.readSync(p),
    readAsync: (p) => op.read(p),
    close: () => op.close(),
  };
}

/** npm:opendal, on `op`. */
export function npmOpendal(op: NpmOperator): Impl {
  return {
    sync: {
      stat: (p) => (op.statSync(p), 0),
      read: (p) => op.readSync(p).length,
      readInto: (p) => op.readSync(p).length,
      write: (p, d) => (op.writeSync(p, d), 0),
      list: (p) => op.listSync(p).length,
    },
    async: {
      stat: async (p) => (await op.stat(p), 0),
      read: async (p) => (await op.read(p)).length,
      readInto: async (p) => (await op.read(p)).length,
      write: async (p, d) => (await op.write(p, d), 0),
      list: async (p) => (await op.list(p)).length,
    },
    size: (p) => Number(op.statSync(p).contentLength),
    readBack: (p) => op.readSync(p),
    readAsync: (p) => op.read(p),
    close: () => {},
  };
}

/** Deno's own file APIs, on paths below `root`. */
export function denoBuiltin(root: string): Impl {
  const at = (p: string): string => `${root}/${p}`;
  const buffer = scratch();
  /** Fills `b` from the start of the file, as `readInto` does. */
  const fill = (file: Deno.FsFile, b: Uint8Array): number => {
    let n = 0;
    for (let r; n < b.length && (r = file.readSync(b.subarray(n))); n += r);
    return n;
  };
  const fillAsync = async (file: Deno.FsFile, b: Uint8Array) => {
    let n = 0;
    for (let r; n < b.length && (r = await file.read(b.subarray(n))); n += r);
    return n;
  };
  return {
    sync: {
      stat: (p) => (Deno.statSync(at(p)), 0),
      read: (p) => Deno.readFileSync(at(p)).length,
      readInto: (p, d) => {
        using file = Deno.openSync(at(p));
        return fill(file, buffer(d.length));
      },
      write: (p, d) => (Deno.writeFileSync(at(p), d), 0),
      list: (p) => count(Deno.readDirSync(at(p))),
    },
    async: {
      stat: async (p) => (await Deno.stat(at(p)), 0),
      read: async (p) => (await Deno.readFile(at(p))).length,
      readInto: async (p, d) => {
        using file = await Deno.open(at(p));
        return await fillAsync(file, buffer(d.length));
      },
      write: async (p, d) => (await Deno.writeFile(at(p), d), 0),
      list: (p) => countAsync(Deno.readDir(at(p))),
    },
    size: (p) => Deno.statSync(at(p)).size,
    readBack: (p) => Deno.readFileSync(at(p)),
    readAsync: (p) => Deno.readFile(at(p)),
    close: () => {},
  };
}

/** A service as each implementation opens it. */
export interface ServiceSpec {
  /** The OpenDAL scheme. */
  scheme: string;
  /** Its options (the same for this module, npm:opendal and raw Rust). */
  options: Record<string, string>;
}

/**
 * This module's operator for `spec`, through the generic constructor that
 * every `services/<name>.ts` class calls.
 */
export function openThisModule(spec: ServiceSpec): Impl {
  return thisModule(new Operator(spec.scheme, spec.options));
}

/** npm:opendal's operator for `spec`. */
export function openNpm(npm: NpmOpendal, spec: ServiceSpec): Impl {
  return npmOpendal(new npm.Operator(spec.scheme, spec.options));
}
