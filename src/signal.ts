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
const addListener = EventTarget.prototype.addEventListener;
const removeListener = EventTarget.prototype.removeEventListener;

/**
 * Refuses a `signal` that is not an `AbortSignal` (`null` and `undefined`
 * mean none). A brand check, not `instanceof`: an object made from
 * `AbortSignal.prototype`, or a `Proxy`, is refused too.
 */
export function checkSignal(signal: unknown): void {
  if (signal === undefined || signal === null) return;
  try {
    aborted.call(signal);
  } catch {
    throw invalidArgument(
      `signal must be an AbortSignal, got ${
        typeof signal === "object" ? "another object" : typeof signal
      }`,
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
