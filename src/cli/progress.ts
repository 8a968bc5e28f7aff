/**
 * The progress bar of long copies, on stderr.
 *
 * On a terminal it redraws one line in place. Forced onto a pipe or file
 * (`--progress`), it prints a whole line per update instead, less often, so
 * logs stay readable.
 *
 * @module
 */

import { humanBytes } from "./format.ts";

const encoder = new TextEncoder();
const WIDTH = 24;

/**
 * Counts bytes and shows them: bytes done, percentage when the size is
 * known, and throughput.
 *
 * @example
 * ```ts
 * import { Progress } from "./progress.ts";
 *
 * const bar = new Progress("big.bin", 100, { terminal: false });
 * bar.add(50);
 * bar.done(); // "big.bin [############            ]  50% 50 B / 100 B ..."
 * ```
 */
export class Progress {
  readonly #label: string;
  readonly #total: number | undefined;
  readonly #terminal: boolean;
  readonly #interval: number;
  readonly #start = performance.now();
  #bytes = 0;
  #last = -Infinity;
  #drawn = -1;

  /**
   * A bar for `label`, of `total` bytes if known; `terminal` redraws in
   * place (default: whether stderr is a terminal).
   */
  constructor(
    label: string,
    total: number | undefined,
    options: { terminal?: boolean } = {},
  ) {
    this.#label = label;
    this.#total = total;
    this.#terminal = options.terminal ?? Deno.stderr.isTerminal();
    this.#interval = this.#terminal ? 100 : 500;
  }

  /** Bytes counted so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Counts `n` more bytes, redrawing at most every 100 ms (500 ms off a terminal). */
  add(n: number): void {
    this.#bytes += n;
    const now = performance.now();
    if (now - this.#last >= this.#interval) {
      this.#last = now;
      this.#draw(false);
    }
  }

  /** Draws the final state (unless already shown) and ends the line. */
  done(): void {
    if (this.#terminal || this.#drawn !== this.#bytes) this.#draw(true);
  }

  #line(): string {
    const seconds = Math.max((performance.now() - this.#start) / 1000, 1e-3);
    const rate = `${humanBytes(Math.round(this.#bytes / seconds))}/s`;
    if (this.#total === undefined) {
      return `${this.#label} ${humanBytes(this.#bytes)} ${rate}`;
    }
    const fraction = this.#total === 0
      ? 1
      : Math.min(1, this.#bytes / this.#total);
    const filled = Math.round(fraction * WIDTH);
    const bar = `[${"#".repeat(filled)}${" ".repeat(WIDTH - filled)}]`;
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
    return `${this.#label} ${bar} ${percent} ${humanBytes(this.#bytes)} / ${
      humanBytes(this.#total)
    } ${rate}`;
  }

  #draw(final: boolean): void {
    this.#drawn = this.#bytes;
    const line = this.#line();
    // A terminal line is redrawn in place (\r, then clear to the end).
    const text = this.#terminal
      ? `\r${line}\x1b[K${final ? "\n" : ""}`
      : `${line}\n`;
    try {
      Deno.stderr.writeSync(encoder.encode(text));
    } catch {
      // A closed stderr must not fail the copy.
    }
  }
}
