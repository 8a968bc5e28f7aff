/**
 * Wakes Deno's event loop every few milliseconds while held, so that a
 * thread-safe `Deno.UnsafeCallback` call whose wake-up Deno missed runs late
 * instead of never.
 *
 * Deno's event loop checks its queue of calls from other threads before it
 * registers to be woken (deno_core's `V8TaskSpawnerFactory::poll_inner`). A
 * call queued in between wakes nobody, and waits until something else wakes
 * the loop: in a script with nothing else to do, forever, with the calling
 * thread blocked. A library thread that calls back 20 000 times, a few
 * microseconds apart, hangs about one run in 13
 * (`tests/reliability/missed_wakeup_test.ts`; `bare` in its script shows the
 * hang without this). Deno registering before it checks, or checking again
 * after, would close the gap; until then the interval bounds it.
 *
 * @module
 */

/** How late a call whose wake-up Deno missed may run. */
const WAKE_MS = 10;

/** An unref'd interval that runs while held (and one tick longer). */
export class LoopWaker {
  #held = false;
  #interval: ReturnType<typeof setInterval> | undefined;

  /** Starts waking the loop, if it is not already. */
  hold(): void {
    this.#held = true;
    // Left running across a release and cleared by its next tick, so that
    // calls awaited one after another start no timer each.
    if (this.#interval !== undefined) return;
    const interval = setInterval(this.#tick, WAKE_MS);
    // Never what keeps a process alive: the callback's own ref does that.
    Deno.unrefTimer(interval);
    this.#interval = interval;
  }

  /** Lets the interval end at its next tick. */
  release(): void {
    this.#held = false;
  }

  readonly #tick = (): void => {
    if (this.#held) return;
    clearInterval(this.#interval);
    this.#interval = undefined;
  };
}
