/**
 * Errors: `OpendalError` with a stable `kind`, also an instance of the
 * matching `Deno.errors` class where Deno has one.
 *
 * @module
 */

import { ErrorCode } from "./_ffi/abi.ts";

/**
 * OpenDAL's error kinds, plus `"Unknown"` for kinds a newer library adds and
 * `"BadResource"` for an operator, layer, reader, writer or lister used after
 * it was closed (also `instanceof Deno.errors.BadResource`, as Deno answers a
 * closed file).
 */
export type ErrorKind =
  | "Unexpected"
  | "Unsupported"
  | "ConfigInvalid"
  | "NotFound"
  | "PermissionDenied"
  | "IsADirectory"
  | "NotADirectory"
  | "AlreadyExists"
  | "RateLimited"
  | "IsSameFile"
  | "ConditionNotMatch"
  | "RangeNotSatisfied"
  | "Conflict"
  | "BadResource"
  | "Unknown";

/** Kind names by native status code (`ErrorCode`, from `rust/src/abi.rs`). */
const KINDS: ErrorKind[] = [];
for (const [kind, code] of Object.entries(ErrorCode)) {
  if (code !== ErrorCode.Cancelled) KINDS[code] = kind as ErrorKind;
}

/** The kind for a native status code. */
export function kindOf(code: number): ErrorKind {
  return KINDS[code] ?? "Unknown";
}

// Shared by every copy of this module, so `instanceof` agrees across copies.
const BRAND = Symbol.for("@opendal/core/OpendalError");

/** Where an error came from, for its fields. */
export interface ErrorContext {
  /** The operation that failed, as the method is named (`"stat"`, `"read"`). */
  operation?: string;
  /** The path it acted on. */
  path?: string;
  /** The target path of `copy`, `rename` and `copyTo`. */
  target?: string;
  /** Whether retrying may succeed. */
  temporary?: boolean;
  /** What caused it, kept as the error's `cause`. */
  cause?: unknown;
}

/**
 * Every error the module throws (except `AbortError`, a `DOMException` as in
 * Deno's own APIs). Where Deno has a matching class, the error is also an
 * instance of it: a `NotFound` error is `instanceof Deno.errors.NotFound`.
 *
 * The `message` is short and leads with the cause, then names the operation
 * and path, as Deno's own errors do: `no such file or directory: stat
 * "a.txt"`, `connection refused (127.0.0.1:9): read "x"`, `NoSuchBucket:
 * The specified bucket does not exist: read "x"`. Everything else OpenDAL
 * knows (service, request URL, HTTP status, every underlying error) is the
 * `cause`: an `Error` named `"OpenDAL"` holding OpenDAL's full text, with
 * secrets masked.
 *
 * @example Branch on the kind
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 * import { OpendalError } from "@opendal/core";
 *
 * using op = new MemoryOperator();
 * try {
 *   await op.read("missing.txt");
 * } catch (e) {
 *   if (e instanceof OpendalError && e.kind === "NotFound") console.log("no file");
 *   console.log(e instanceof Deno.errors.NotFound); // true
 * }
 * ```
 */
export class OpendalError extends Error {
  /** What went wrong, as OpenDAL classifies it. */
  readonly kind!: ErrorKind;
  /** The operation that failed, as the method is named. */
  readonly operation?: string;
  /** The path it acted on (for `copy`, `rename` and `copyTo`, the source). */
  readonly path?: string;
  /** The target path of `copy`, `rename` and `copyTo`. */
  readonly target?: string;
  /** Whether retrying may succeed (OpenDAL's temporary status). */
  readonly temporary!: boolean;

  /** Makes an error of `kind`. */
  constructor(kind: ErrorKind, message: string, context: ErrorContext = {}) {
    super(message, withCause(context));
    brand(this, kind, context);
  }

  /** True for every error this module (any copy of it) throws. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null &&
      (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

function brand(error: Error, kind: ErrorKind, context: ErrorContext): void {
  Object.defineProperties(error, {
    [BRAND]: { value: true },
    name: { value: "OpendalError", writable: true, configurable: true },
    kind: { value: kind, enumerable: true },
    operation: { value: context.operation, enumerable: true },
    path: { value: context.path, enumerable: true },
    target: { value: context.target, enumerable: context.target !== undefined },
    temporary: { value: context.temporary ?? false, enumerable: true },
  });
}

type ErrorClass = new (message: string, options?: ErrorOptions) => Error;

const DENO_CLASSES: Partial<Record<ErrorKind, ErrorClass>> = {
  NotFound: Deno.errors.NotFound,
  AlreadyExists: Deno.errors.AlreadyExists,
  PermissionDenied: Deno.errors.PermissionDenied,
  IsADirectory: Deno.errors.IsADirectory,
  NotADirectory: Deno.errors.NotADirectory,
  Unsupported: Deno.errors.NotSupported,
  BadResource: Deno.errors.BadResource,
};

/** Makes the error for `kind`: an `OpendalError`, and the Deno class if any. */
export function opendalError(
  kind: ErrorKind,
  message: string,
  context: ErrorContext = {},
): OpendalError {
  const DenoClass = DENO_CLASSES[kind];
  if (!DenoClass) return new OpendalError(kind, message, context);
  const error = new DenoClass(message, withCause(context));
  brand(error, kind, context);
  return error as OpendalError;
}

function withCause(context: ErrorContext): ErrorOptions | undefined {
  return "cause" in context ? { cause: context.cause } : undefined;
}

/**
 * The full text of a native error, kept as the `cause` of the short one: an
 * `Error` named `"OpenDAL"` with no JavaScript frames (it happened natively).
 */
export function nativeDetail(detail: string): Error {
  const error = new Error(detail);
  error.name = "OpenDAL";
  error.stack = `OpenDAL: ${detail}`;
  return error;
}

/** The error for an argument the caller got wrong. */
export function invalidArgument(message: string): OpendalError {
  return new OpendalError("ConfigInvalid", message);
}

/** The `AbortError` of an aborted signal, as Deno's own APIs reject. */
export function abortError(signal?: AbortSignal): unknown {
  // The built-in getter: a signal's own `reason` property never runs here.
  return (signal && signalReason.call(signal)) ??
    new DOMException("The operation was aborted", "AbortError");
}

const signalReason = Object.getOwnPropertyDescriptor(
  AbortSignal.prototype,
  "reason",
)!.get!;
