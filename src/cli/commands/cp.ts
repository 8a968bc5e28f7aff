/**
 * `cp` and `mv`: copy or move files between any two services.
 *
 * @module
 */

import { OpendalError } from "../../errors.ts";
import type { Metadata } from "../../metadata.ts";
import type { Operator } from "../../operator.ts";
import type { Command, Context, Target } from "../command.ts";
import { UsageError } from "../exit.ts";
import { jsonLine, out } from "../format.ts";
import { asDir, asWritten, baseName, isSelf } from "../location.ts";
import { Progress } from "../progress.ts";
import { copyFile, type CopyJob, streamInto, toStdout } from "../transfer.ts";

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
  to: Operator,
): AsyncGenerator<CopyJob> {
  const contentType = ctx.flags.contentType;
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
      to,
      toPath,
      size: srcMeta.contentLength,
      label: src.loc.display,
      contentType,
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
  let listed = false;
  for await (const entry of src.op.list(fromDir, { recursive: true })) {
    listed = true;
    if (!entry.metadata.isFile) continue;
    const relative = entry.path.slice(fromDir.length);
    yield {
      from: src.op,
      fromPath: entry.path,
      to,
      toPath: toDir + relative,
      size: entry.metadata.lastModified === undefined
        ? undefined
        : entry.metadata.contentLength,
      label: relative,
      contentType,
    };
  }
  // A directory that lists nothing may not be there at all (fs lists a
  // missing one as empty): let the service say so.
  if (!listed && fromDir !== "") await src.op.stat(fromDir);
}

/** Copies (and with `move`, then deletes) what `src` names to `dst`. */
async function transfer(
  ctx: Context,
  [srcArg, dstArg]: readonly string[],
  move: boolean,
): Promise<void> {
  if (srcArg === STDIO || dstArg === STDIO) {
    return await throughStdio(ctx, srcArg, dstArg, move);
  }
  const src = ctx.open(srcArg);
  const dst = ctx.open(dstArg);
  const sameOp = src.op === dst.op;
  const rename = move && sameOp && src.op.capability().rename;
  // A copy within one service keeps the source's type; a write guesses one.
  const to = sameOp || ctx.flags.contentType !== undefined
    ? dst.op
    : ctx.guessingTypes(dst.op);
  let moved = 0;
  for await (const job of plan(ctx, src, dst, to)) {
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
      await out(jsonLine({
        from: asWritten(src.loc, job.fromPath),
        to: asWritten(dst.loc, job.toPath),
        size,
      }));
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

/** The argument that names stdin (as a source) or stdout (as a destination). */
const STDIO = "-";

/** `cp - <dst>`: stdin to a file; `cp <src> -`: a file to stdout. */
async function throughStdio(
  ctx: Context,
  srcArg: string,
  dstArg: string,
  move: boolean,
): Promise<void> {
  if (move) {
    throw new UsageError(
      `mv cannot move "-": use cp to read stdin or write stdout`,
    );
  }
  if (srcArg === dstArg) throw new UsageError(`cp - - copies nothing: use cat`);
  if (ctx.flags.recursive) {
    throw new UsageError(`-r copies directories, not stdin or stdout`);
  }
  if (dstArg === STDIO) {
    if (ctx.flags.json) {
      throw new UsageError(`--json would mix with the file on stdout`);
    }
    const { op, loc } = ctx.open(srcArg);
    return await toStdout(op, loc.path, ctx.signal);
  }
  const dst = ctx.open(dstArg);
  const toPath = dst.loc.path;
  if (toPath === "" || toPath.endsWith("/")) {
    throw new UsageError(
      `cp - needs the name of the file to write stdin to, got ${dst.loc.display}`,
    );
  }
  const contentType = ctx.flags.contentType;
  const to = contentType === undefined ? ctx.guessingTypes(dst.op) : dst.op;
  const bar = ctx.showProgress ? new Progress("-", undefined) : undefined;
  const size = await streamInto(
    Deno.stdin.readable,
    { to, toPath, contentType },
    bar,
    ctx.signal,
  );
  if (ctx.flags.json) {
    await out(jsonLine({ from: STDIO, to: asWritten(dst.loc, toPath), size }));
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
                    {"from": ..., "to": ..., "size": bytes}, paths written as
                    the arguments were`;

/** `cp [-r] <src> <dst>` */
export const cp: Command = {
  name: "cp",
  usage: "[-r] [--progress] [--content-type <type>] <src> <dst>",
  summary: "copy files between any two services",
  help:
    `Streams the bytes: inside the native library (copyTo) when no progress bar
is drawn, through reader and writer with one when it is. A copy within one
service uses the service's own copy; with a progress bar, in 8 MiB parts where
the service copies in parts (S3, Azure Blob, GCS), so the bar advances.
${PATHS}
"-" as the source reads stdin, as the destination writes stdout:
  tar c dir | opendal cp - s3://bucket/dir.tar
  opendal cp s3://bucket/dir.tar - | tar x
Where the destination stores content types (S3, GCS, Azure Blob, ...), the
type is guessed from the file name (as "aws s3 cp" does) unless given.

  -r, --recursive   copy a directory or prefix
  --content-type <type>
                    the content type to store (refused where the service
                    cannot store one)
${PROGRESS}`,
  flags: ["recursive", "progress", "contentType"],
  arity: [2, 2],
  run: (ctx, args) => transfer(ctx, args, false),
};

/** `mv [-r] <src> <dst>` */
export const mv: Command = {
  name: "mv",
  usage: "[-r] [--progress] [--content-type <type>] <src> <dst>",
  summary: "move files: rename within a service, else copy then delete",
  help:
    `Within one service that can rename (fs, sftp, webdav, ...) a file is renamed;
otherwise it is copied (as cp does) and the source deleted after each copy.
${PATHS}

  -r, --recursive   move a directory or prefix
  --content-type <type>
                    the content type to store where a file is copied
${PROGRESS}`,
  flags: ["recursive", "progress", "contentType"],
  arity: [2, 2],
  run: (ctx, args) => transfer(ctx, args, true),
};
