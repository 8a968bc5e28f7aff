/**
 * Exit codes and the one-line error report the command-line tool prints.
 *
 * @module
 */

import { OpendalError } from "../errors.ts";

/** The tool's exit codes. */
export const EXIT = {
  /** Everything worked. */
  ok: 0,
  /** The operation failed (any error kind but the ones below). */
  error: 1,
  /** The command line was wrong: unknown flag, missing argument, bad URI or config. */
  usage: 2,
  /** What the command names does not exist (`NotFound`). */
  notFound: 3,
  /** Interrupted (Ctrl-C): 128 + SIGINT, as shells report it. */
  interrupted: 130,
} as const;

/** A mistake in the command line itself (exit code 2). */
export class UsageError extends Error {
  /** Makes a usage error with `message`. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The exit code for `error`. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof DOMException && error.name === "AbortError") {
    return EXIT.interrupted;
  }
  if (error instanceof OpendalError) {
    if (error.kind === "NotFound") return EXIT.notFound;
    if (error.kind === "ConfigInvalid") return EXIT.usage;
  }
  return EXIT.error;
}

/** The kind to report: OpenDAL's kind, `Usage`, or the error's name. */
export function kindOf(error: unknown): string {
  if (error instanceof OpendalError) return error.kind;
  if (error instanceof UsageError) return "Usage";
  if (error instanceof Error) return error.name;
  return "Error";
}

/** Everything known about `error` beyond its message: its causes, in order. */
export function detailOf(error: unknown): string | undefined {
  const causes: string[] = [];
  let cause = (error as { cause?: unknown } | null)?.cause;
  while (cause !== undefined && causes.length < 8) {
    causes.push(cause instanceof Error ? cause.message : String(cause));
    cause = (cause as { cause?: unknown } | null)?.cause;
  }
  return causes.length ? causes.join("\n") : undefined;
}

/** `error`'s message, or what it is as a string when it is no `Error`. */
export function messageText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The message for `error` on stderr: one line, no stack trace for the
 * errors a user can cause. `verbose` adds the detail (and the stack of an
 * unexpected error); `message` replaces the error's own.
 */
export function describe(
  error: unknown,
  verbose = false,
  message: string = messageText(error),
): string {
  const expected = error instanceof OpendalError ||
    error instanceof UsageError ||
    error instanceof Deno.errors.NotCapable ||
    error instanceof Deno.errors.BrokenPipe ||
    (error instanceof DOMException && error.name === "AbortError");
  const detail = verbose ? detailOf(error) : undefined;
  // The frames only: the first line of a stack repeats the message.
  const at = error instanceof Error ? error.stack?.indexOf("\n    at ") : -1;
  const frames = at !== undefined && at >= 0
    ? (error as Error).stack!.slice(at)
    : "";
  const stack = !expected || verbose ? frames : "";
  return `error: ${kindOf(error)}: ${message}${
    detail ? `\ndetail: ${detail}` : ""
  }${stack}`;
}
