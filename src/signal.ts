/**
 * `AbortSignal`s as the calls use them: checked to be real signals before
 * any work starts, and read and listened to through the built-in getters
 * and methods, so a signal's own properties (or a look-alike object) never
 * run code inside the completion pump.
 *
 * @module
 */

import { invalidArgument } from "./errors.ts";

const aborted = Object.getOwnPropertyDescriptor(
  AbortSignal.prototype,
  "aborted",
)!.get!;
// AbortSignal's own methods, not EventTarget's: Deno's keep the timer of an
// `AbortSignal.timeout()` alive while a listener waits on it.
const addListener = AbortSignal.prototype.addEventListener;
const removeListener = AbortSignal.prototype.removeEventListener;

/**
 * Refuses a `signal` that is not an `AbortSignal` (`null` and `undefined`
 * mean none). A brand check, not `instanceof`: an object made from
 * `AbortSignal.prototype`, or a `Proxy`, is refused too.
 */
export function checkSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined || signal === null) return undefined;
  try {
    aborted.call(signal);
    return signal as AbortSignal;
  } catch {
    throw invalidArgument(
      `signal must be an AbortSignal, got ${
        typeof signal === "object" ? "another object" : typeof signal
      }`,
    );
  }
}

/**
 * Refuses a `signal` given to a blocking call: it could never fire while the
 * call blocks, so taking it silently would promise what cannot happen.
 */
export function refuseSignal(options: unknown, operation: string): void {
  if (
    typeof options === "object" && options !== null &&
    (options as { signal?: unknown }).signal !== undefined
  ) {
    throw invalidArgument(
      `${operation}Sync takes no signal: a blocking call cannot be aborted ` +
        `(use the async ${operation} to cancel)`,
    );
  }
}

/** Whether a checked `signal` is aborted. */
export function isAborted(signal: AbortSignal): boolean {
  return aborted.call(signal) as boolean;
}

/** Calls `onAbort` once when a checked `signal` aborts. */
export function listen(signal: AbortSignal, onAbort: () => void): void {
  addListener.call(signal, "abort", onAbort, { once: true });
}

/** Stops calling `onAbort`. */
export function unlisten(signal: AbortSignal, onAbort: () => void): void {
  removeListener.call(signal, "abort", onAbort);
}
