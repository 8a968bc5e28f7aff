/**
 * Completions without a waiting thread of Deno's: a thread of the library
 * (`opendal_queue_notify`) calls JavaScript through a thread-safe
 * `Deno.UnsafeCallback` whenever finished tickets are ready, and JavaScript
 * collects them at once. This saves the hop through a pending `nonblocking`
 * wait on Deno's blocking pool (about 50 µs of CPU per small request made
 * one at a time, bench/PROFILE.md).
 *
 * Deno allows an `UnsafeCallback` only with a bare `--allow-ffi`; under
 * `--allow-ffi=<library path>` the module keeps the queue path
 * (`native.ts`). Only the main thread uses it: when a Worker ends, Deno
 * frees its callbacks before the Worker's thread exits (which is when the
 * library learns the Worker is gone), so a completion arriving in between
 * would call freed code. The main isolate's callbacks are freed too when a
 * script ends with an uncaught error (or a test file ends): Deno drops the
 * isolate before the process exits. So the module stops the notifier at
 * the last moment JavaScript runs, on `unload`, `error` and
 * `unhandledrejection` (`native.ts`), and falls back to the queue; a
 * notifier already inside the callback then blocks in Deno for good, which
 * is harmless, rather than entering freed code.
 *
 * Deno can miss the wake-up of such a call; while work is pending, a
 * `LoopWaker` makes a missed call run late instead of never.
 *
 * @module
 */

import { Status } from "./abi.ts";
import { notifyQueue } from "./calls.ts";
import { LoopWaker } from "./loop_waker.ts";
import type { Native } from "./native.ts";

const DEFINITION = { parameters: [], result: "void" } as const;

/** Whether this isolate may, and can safely, be called by the library. */
export function callbacksAllowed(): boolean {
  if ("WorkerGlobalScope" in globalThis) return false;
  try {
    return Deno.permissions.querySync({ name: "ffi" }).state === "granted";
  } catch {
    return false;
  }
}

/** The library's notifier thread of one queue, and the callback it calls. */
export class Notifier {
  readonly #callback: Deno.UnsafeCallback<typeof DEFINITION>;
  readonly #waker = new LoopWaker();
  #held = false;

  private constructor(callback: Deno.UnsafeCallback<typeof DEFINITION>) {
    this.#callback = callback;
  }

  /**
   * Has the library call `onReady` (which must not throw) when tickets of
   * `n`'s queue are ready; `undefined` when Deno or the library refuse.
   */
  static start(n: Native, onReady: () => void): Notifier | undefined {
    if (!callbacksAllowed()) return undefined;
    let callback: Deno.UnsafeCallback<typeof DEFINITION>;
    try {
      callback = new Deno.UnsafeCallback(DEFINITION, onReady);
    } catch {
      return undefined; // NotCapable: a path-scoped --allow-ffi
    }
    if (notifyQueue(n, callback.pointer, 0) !== Status.Ok) {
      n.sym.opendal_queue_release(n.queue, 0);
      callback.close();
      return undefined;
    }
    // Never closed: the library may call it until the process ends.
    return new Notifier(callback);
  }

  /**
   * Stops the library's thread from calling again. The callback is never
   * closed: a call may be waiting in Deno to run it.
   */
  stop(n: Native): void {
    if (notifyQueue(n, null, 0) !== Status.Ok) {
      n.sym.opendal_queue_release(n.queue, 0);
    }
    this.release();
  }

  /** Keeps the event loop alive: completions are expected. */
  hold(): void {
    if (this.#held) return;
    this.#held = true;
    this.#callback.ref();
    this.#waker.hold();
  }

  /** Lets the process exit: nothing is pending. */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    this.#callback.unref();
    this.#waker.release();
  }
}
