/**
 * A failed native call: what its error record said, decoded as soon as it
 * arrives (the output buffer is reused), and turned into the error it throws
 * only where it is thrown.
 *
 * Where matters for asynchronous calls: an error made in the completion
 * pump has no caller in its stack. `settle()` makes it inside an async frame
 * the caller awaits, so V8's async stack trace includes the caller's frames,
 * as `Deno.readTextFile`'s errors do. Only a failure pays for that frame's
 * extra work; calls that finish inline never reach it.
 *
 * @module
 */

import type { RecordReader } from "./_ffi/codec.ts";
import { abortError, kindOf, nativeDetail, opendalError } from "./errors.ts";

/**
 * The path a call acted on; for `copy`, `rename` and `copyTo`, its source
 * and target, both named in the message (`rename "a" -> "b"`, as Deno's
 * own errors do).
 */
export type Subject = string | readonly [source: string, target: string];

/**
 * How an error's message ends: the operation and its paths, as Deno's own
 * errors name them (`: stat "a.txt"`, `: rename "a" -> "b"`).
 */
export function naming(operation: string, paths: readonly string[]): string {
  return `: ${operation} ${paths.map((p) => JSON.stringify(p)).join(" -> ")}`;
}

/** Status codes (`rust/src/status.rs`) a failure can carry besides error kinds. */
const CANCELLED = 100;

/** What a failed call reported. */
export class Failure {
  readonly #status: number;
  readonly #operation: string;
  readonly #subject: Subject | undefined;
  readonly #temporary: boolean;
  readonly #message: string;
  readonly #detail: string;
  readonly #signal: AbortSignal | undefined;

  /**
   * Decodes the error record in `r` (when `status` is an error kind):
   * `[u32 temporary][message][detail]`.
   */
  constructor(
    status: number,
    operation: string,
    subject: Subject | undefined,
    r?: RecordReader,
    signal?: AbortSignal,
  ) {
    this.#status = status;
    this.#operation = operation;
    this.#subject = subject;
    this.#signal = signal;
    const record = status > 0 && status !== CANCELLED ? r : undefined;
    this.#temporary = record?.u32() === 1;
    this.#message = record?.text() ?? "";
    this.#detail = record?.text() ?? "";
  }

  /**
   * The error to throw: an `OpendalError` whose message leads with the cause
   * and ends with the operation and path (`is a directory: read "docs"`),
   * with OpenDAL's full text as its `cause`.
   */
  error(): unknown {
    const status = this.#status;
    const operation = this.#operation;
    const subject = this.#subject;
    const paths = typeof subject === "string" ? [subject] : subject ?? [];
    const [path, target] = paths;
    if (status === CANCELLED) return abortError(this.#signal);
    if (status <= 0) {
      return opendalError(
        "Unexpected",
        `internal error: status ${status} from ${operation}`,
        { operation, path, target },
      );
    }
    const where = paths.length ? naming(operation, paths) : "";
    return opendalError(kindOf(status), `${this.#message}${where}`, {
      operation,
      path,
      target,
      temporary: this.#temporary,
      ...(this.#detail ? { cause: nativeDetail(this.#detail) } : {}),
    });
  }
}

/**
 * Awaits a pending call: its value, or its failure thrown as an error made
 * here, so the error's stack shows the frames awaiting this.
 */
export async function settle<T>(pending: Promise<T | Failure>): Promise<T> {
  const outcome = await pending;
  if (outcome instanceof Failure) throw outcome.error();
  return outcome;
}
