/**
 * `cp` and `mv`: copy or move files between any two services.
 *
 * @module
 */

import { OpendalError } from "../../errors.ts";
import type { Metadata } from "../../metadata.ts";
import type { Command, Context, Target } from "../command.ts";
import { UsageError } from "../exit.ts";
import { jsonLine, out } from "../format.ts";
import { asDir, baseName, isSelf } from "../location.ts";
import { copyFile, type CopyJob } from "../transfer.ts";

/** `stat`, or `null` when nothing is there. */
async function statOrNull(t: Target, path: string): Promise<Metadata | null> {
  try {
    return await t.op.stat(path);
  } catch (e) {
    if (e instanceof OpendalError && e.kind === "NotFound") return null;
    throw e;
  }
}

/** Whether `dir` has anything below it (a prefix on object stores). */
async function hasEntries(t: Target, dir: string): Promise<boolean> {
  for await (const entry of t.op.list(dir)) {
    if (!isSelf(entry.path, dir)) return true;
  }
  return false;
}

/** The files to copy for `src` → `dst`, as jobs; `null` source means a directory without `-r`. */
async function* plan(
  ctx: Context,
  src: Target,
  dst: Target,
): AsyncGenerator<CopyJob> {
  const srcPath = src.loc.path;
  let srcMeta: Metadata | null = null;
  if (srcPath !== "" && !srcPath.endsWith("/")) {
    srcMeta = await statOrNull(src, srcPath);
    if (
      srcMeta === null && !(ctx.flags.recursive &&
        await hasEntries(src, asDir(srcPath)))
    ) {
      // Not a file, and not a prefix: report the service's NotFound.
      await src.op.stat(srcPath);
    }
  }
  if (srcMeta && !srcMeta.isDirectory) {
    let toPath = dst.loc.path;
    if (toPath === "" || toPath.endsWith("/")) {
      toPath += baseName(srcPath);
    } else if ((await statOrNull(dst, toPath))?.isDirectory) {
      toPath = `${toPath}/${baseName(srcPath)}`;
    }
    yield {
      from: src.op,
      fromPath: srcPath,
      to: dst.op,
      toPath,
      size: srcMeta.contentLength,
      label: src.loc.display,
    };
    return;
  }
  if (!ctx.flags.recursive) {
    throw new UsageError(
      `${src.loc.display} is a directory: use -r to copy what is below it`,
    );
  }
  const fromDir = asDir(srcPath);
  const toDir = asDir(dst.loc.path);
  for await (const entry of src.op.list(fromDir, { recursive: true })) {
    if (!entry.metadata.isFile) continue;
    const relative = entry.path.slice(fromDir.length);
    yield {
      from: src.op,
      fromPath: entry.path,
      to: dst.op,
      toPath: toDir + relative,
      size: entry.metadata.lastModified === undefined
        ? undefined
        : entry.metadata.contentLength,
      label: relative,
    };
  }
}

/** Copies (and with `move`, then deletes) what `src` names to `dst`. */
async function transfer(
  ctx: Context,
  [srcArg, dstArg]: readonly string[],
  move: boolean,
): Promise<void> {
  const src = ctx.open(srcArg);
  const dst = ctx.open(dstArg);
  const sameOp = src.op === dst.op;
  const rename = move && sameOp && src.op.capability().rename;
  let moved = 0;
  for await (const job of plan(ctx, src, dst)) {
    ctx.signal?.throwIfAborted();
    if (sameOp && job.fromPath === job.toPath) {
      throw new OpendalError(
        "IsSameFile",
        `${job.fromPath}: source and destination are the same file`,
      );
    }
    let size: number;
    if (rename) {
      await src.op.rename(job.fromPath, job.toPath);
      size = job.size ?? (await dst.op.stat(job.toPath)).contentLength;
    } else {
      size = await copyFile(job, ctx.showProgress, ctx.signal);
      if (move) await src.op.delete(job.fromPath);
    }
    moved++;
    if (ctx.flags.json) {
      await out(jsonLine({ from: job.fromPath, to: job.toPath, size }));
    }
  }
  // A moved directory leaves empty directories behind on fs-like services.
  if (move && moved > 0 && ctx.flags.recursive) {
    const dir = asDir(src.loc.path);
    if (dir !== "" && (await statOrNull(src, dir))?.isDirectory) {
      await src.op.removeAll(dir);
    }
  }
}

const PATHS =
  `A destination ending with "/" (or an existing directory) receives the file
under its own name. With -r, everything below the source directory or prefix
goes to the same relative paths below the destination (like
"aws s3 cp --recursive"); empty directories are not copied.`;

const PROGRESS =
  `  --progress        always draw the progress bar on stderr (default: only when
                    stderr is a terminal); --no-progress never draws it
  --json            one JSON object per file, one per line:
                    {"from": ..., "to": ..., "size": bytes}`;

/** `cp [-r] <src> <dst>` */
export const cp: Command = {
  name: "cp",
  usage: "[-r] [--progress] <src> <dst>",
  summary: "copy files between any two services",
  help:
    `Streams the bytes: inside the native library (copyTo) when no progress bar
is drawn, through reader and writer with one when it is; a copy within one
service uses the service's own copy.
${PATHS}

  -r, --recursive   copy a directory or prefix
${PROGRESS}`,
  flags: ["recursive", "progress"],
  arity: [2, 2],
  run: (ctx, args) => transfer(ctx, args, false),
};

/** `mv [-r] <src> <dst>` */
export const mv: Command = {
  name: "mv",
  usage: "[-r] [--progress] <src> <dst>",
  summary: "move files: rename within a service, else copy then delete",
  help:
    `Within one service that can rename (fs, sftp, webdav, ...) a file is renamed;
otherwise it is copied (as cp does) and the source deleted after each copy.
${PATHS}

  -r, --recursive   move a directory or prefix
${PROGRESS}`,
  flags: ["recursive", "progress"],
  arity: [2, 2],
  run: (ctx, args) => transfer(ctx, args, true),
};
