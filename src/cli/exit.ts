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

/**
 * The message for `error` on stderr: one line (plus OpenDAL's context
 * lines), no stack trace for the errors a user can cause.
 */
export function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const where = error instanceof OpendalError && error.path !== undefined &&
      !message.includes(error.path)
    ? ` (${error.operation ?? "?"} ${JSON.stringify(error.path)})`
    : "";
  const expected = error instanceof OpendalError ||
    error instanceof UsageError ||
    error instanceof Deno.errors.NotCapable ||
    error instanceof Deno.errors.BrokenPipe ||
    (error instanceof DOMException && error.name === "AbortError");
  const stack = !expected && error instanceof Error && error.stack
    ? `\n${error.stack}`
    : "";
  return `error: ${kindOf(error)}: ${message}${where}${stack}`;
}
