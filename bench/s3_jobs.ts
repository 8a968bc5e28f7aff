/**
 * The work bench/s3.ts asks of a client's worker process (bench/s3_worker.ts),
 * and what comes back. Shared so both ends agree on one shape.
 *
 * @module
 */

/** One measured sample: `count` operations of one kind. */
export type Job =
  /** `count` objects of `size` bytes, `inFlight` at a time. */
  | {
    kind: "put" | "get" | "stat";
    size: number;
    count: number;
    inFlight: number;
    round: number;
  }
  /** One object of `size` bytes, streamed. */
  | { kind: "upload" | "download"; size: number; round: number }
  /** One listing of `entries` keys. */
  | { kind: "list"; entries: number; round: number }
  /** `count` presigned GET URLs. */
  | { kind: "presign"; count: number; entries: number; round: number };

/** A sample's cost, as the worker measured it in its own process. */
export interface Sample {
  /** Operations done (a streamed object or a listing is one). */
  ops: number;
  /** Wall time, ms, the checks left out. */
  wallMs: number;
  /** CPU time of the whole process (every thread), µs, the checks left out. */
  cpuUs: number;
  /** Voluntary and involuntary context switches of the whole process. */
  voluntary: number;
  involuntary: number;
}

/** How the worker prefixes its answers on stdout (clients may print too). */
export const ANSWER = "@@sample ";

/** The keys a round reads, shared by every client (written once by s3.ts). */
export const fixtures = {
  /** Distinct objects per size the get rows cycle through. */
  copies: (size: number): number =>
    Math.max(1, Math.min(64, Math.ceil(16 * 2 ** 20 / size))),
  getKey: (size: number, i: number): string => `fixtures/get/${size}/${i}`,
  getTag: (size: number, i: number): number => size % 65_521 + i * 7 + 1,
  /** What a put writes: new bytes every round, so stale objects fail. */
  putKey: (size: number, i: number): string => `put/${size}/${i}`,
  putTag: (size: number, i: number, round: number): number =>
    1_000_000 + round * 100_003 + i * 13 + size % 997,
  downloadKey: "fixtures/download",
  downloadTag: 424_242,
  listPrefix: "fixtures/list/",
  listKey: (i: number): string => `fixtures/list/${String(i).padStart(6, "0")}`,
  listTag: (i: number): number => 500_000 + i,
  /** Size of each listed object (presigned URLs fetch them back). */
  listSize: 64,
};
