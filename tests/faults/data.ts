/**
 * Test payloads: reproducible pseudo-random bytes and their checksums.
 *
 * @example
 * ```ts ignore
 * const bytes = pseudoRandom(1024, 7);
 * console.log(sha256(bytes));
 * ```
 *
 * @module
 */
import { createHash } from "node:crypto";

/**
 * `size` bytes from a xorshift generator seeded with `seed`: the same seed
 * gives the same bytes, different seeds give unrelated ones.
 *
 * @example
 * ```ts ignore
 * const a = pseudoRandom(16, 1);
 * ```
 */
export function pseudoRandom(
  size: number,
  seed: number,
): Uint8Array<ArrayBuffer> {
  const words = new Uint32Array(Math.ceil(size / 4));
  let x = (seed * 0x9e3779b9) >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x;
  }
  return new Uint8Array(words.buffer, 0, size);
}

/**
 * The sha256 of `bytes`, as hex.
 *
 * @example
 * ```ts ignore
 * sha256(new Uint8Array(0)); // "e3b0c442..."
 * ```
 */
export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * One mebibyte.
 *
 * @example
 * ```ts ignore
 * const chunk = 5 * MiB;
 * ```
 */
export const MiB = 1024 * 1024;
