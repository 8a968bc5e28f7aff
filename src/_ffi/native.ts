/**
 * The bridge to the native library: one queue per loaded copy of this
 * module, reused input/output buffers, tickets and the completion pump.
 *
 * Blocking calls pass ticket 0 and decode the record from `out` at once.
 * Asynchronous calls pass a fresh ticket: most finish inline (the library
 * polls the work once before handing it to its runtime), the rest resolve
 * when their tickets are collected from the queue, in batches, in one of
 * two ways. With a bare `--allow-ffi`, a thread of the library calls
 * JavaScript when tickets are ready (`notifier.ts`); otherwise one pending
 * `nonblocking` wait returns them. Either keeps the event loop alive only
 * while operations are pending, so an idle process exits. `LoggingLayer`
 * lines are delivered by `log_sinks.ts`.
 *
 * @module
 */

import { Status } from "./abi.ts";
import { InputWriter, RecordReader } from "./codec.ts";
import { abortError, opendalError } from "../errors.ts";
import { Failure, settle, type Subject } from "../failure.ts";
import type { Symbols } from "./symbols.ts";
import { type Library, library } from "../_loader/library.ts";
import { checkSignal, isAborted, listen, unlisten } from "../signal.ts";
import { flushAllLogs, LogDrain } from "./log_sinks.ts";
import { Notifier } from "./notifier.ts";
import { type LibraryInfo, shared } from "../shared.ts";

const { sinks, logFlushes } = shared();

export { consoleSink } from "./log_sinks.ts";
export { Status };

/** Decodes a successful record; `ticket` is where held bytes wait. */
export type Parse<T> = (r: RecordReader, ticket: number) => T;

interface Waiting {
  resolve(value: unknown): void;
  reject(reason: unknown): void;
  parse: Parse<unknown>;
  operation: string;
  subject: Subject | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

const OUT_SIZE = 256 * 1024;
const BATCH = 1024;

/** The library and the state every call shares. */
export class Native {
  /** Which library this module copy uses (shared with compatible copies). */
  readonly library: LibraryInfo;
  /** The symbols. */
  readonly sym: Symbols;
  /** This module copy's completion queue. */
  readonly queue: number;
  /** The input of the call being made. */
  readonly input: InputWriter = new InputWriter();
  /** Where every call writes its record. */
  readonly out: Uint8Array<ArrayBuffer> = new Uint8Array(OUT_SIZE);
  /** `out`'s buffer, what calls pass: FFI takes an `ArrayBuffer` faster than a view. */
  readonly outBuffer: ArrayBuffer = this.out.buffer;
  readonly #outView = new DataView(this.out.buffer);
  readonly #record = new RecordReader();
  readonly #tickets = new Uint32Array(BATCH);
  /** The notifier's own: a late call may overlap a pending wait's batch. */
  readonly #readyTickets = new Uint32Array(BATCH);
  readonly #waiting = new Map<number, Waiting>();
  readonly #free: number[] = [];
  readonly #logs: LogDrain;
  #nextTicket = 1;
  #pumping = false;
  /** The library's notifier; `null` once refused, `undefined` before asked. */
  #notifier: Notifier | null | undefined;

  constructor(lib: Library = library()) {
    this.library = lib.info;
    this.sym = lib.symbols;
    this.queue = this.sym.opendal_queue_new();
    if (this.queue === 0) throw new Error("could not create a native queue");
    this.#logs = new LogDrain(this.sym, this.queue);
    logFlushes.add(() => this.flushLogs());
  }

  /** A ticket for an asynchronous call. */
  ticket(): number {
    return this.#free.pop() ?? this.#nextTicket++;
  }

  /**
   * Turns a call's status into its value or error. Frees nothing: callers
   * own the ticket.
   */
  finish<T>(
    status: number,
    ticket: number,
    parse: Parse<T>,
    operation: string,
    subject?: Subject,
  ): T {
    if (status === Status.Ok) {
      return parse(this.#record.at(this.out, this.#outView), ticket);
    }
    if (status === Status.Held) {
      const size = this.#outView.getFloat64(0, true);
      const held = new Uint8Array(size);
      this.take(ticket, held);
      return parse(this.#record.at(held), ticket);
    }
    throw this.failure(status, operation, subject).error();
  }

  /** What a failed call reported (its record is in `out` until the next call). */
  failure(
    status: number,
    operation: string,
    subject?: Subject,
    signal?: AbortSignal,
  ): Failure {
    const r = this.#record.at(this.out, this.#outView);
    return new Failure(status, operation, subject, r, signal);
  }

  /** Copies what is held under `ticket` into `dst` (its exact size). */
  take(ticket: number, dst: Uint8Array<ArrayBuffer>): void {
    const s = this.sym.opendal_queue_take(
      this.queue,
      ticket,
      dst,
      dst.byteLength,
    );
    if (s !== Status.Ok) {
      throw opendalError("Unexpected", `internal error: take failed (${s})`);
    }
  }

  /** Settles a blocking call (ticket 0). */
  sync<T>(
    status: number,
    parse: Parse<T>,
    operation: string,
    subject?: Subject,
  ): T {
    try {
      return this.finish(status, 0, parse, operation, subject);
    } catch (e) {
      this.sym.opendal_queue_release(this.queue, 0);
      throw e;
    } finally {
      if (sinks.size > 0) flushAllLogs();
    }
  }

  /**
   * Settles a blocking call without a queue (`Runs::Blocking` in
   * `rust/src/abi.rs`): its count, or minus its error's status.
   */
  counted(count: number, operation: string, subject?: Subject): number {
    try {
      if (count >= 0) return count;
      throw this.failure(-count, operation, subject).error();
    } finally {
      if (sinks.size > 0) flushAllLogs();
    }
  }

  /**
   * Hands the `LoggingLayer` lines waiting in this copy's queue to their
   * sinks (`log_sinks.ts`).
   */
  flushLogs(): void {
    this.#logs.flush();
  }

  /**
   * Runs an asynchronous call: `call(ticket)` makes the FFI call (and may
   * throw while encoding its input, which rejects the promise).
   */
  async<T>(
    call: (ticket: number) => number,
    parse: Parse<T>,
    operation: string,
    subject?: Subject,
    signal?: AbortSignal,
  ): Promise<T> {
    try {
      checkSignal(signal);
    } catch (e) {
      return Promise.reject(e);
    }
    if (signal && isAborted(signal)) return Promise.reject(abortError(signal));
    const ticket = this.ticket();
    let status: number;
    try {
      status = call(ticket);
    } catch (e) {
      this.#free.push(ticket);
      return Promise.reject(e);
    }
    if (status !== Status.Pending) {
      try {
        return Promise.resolve(
          this.finish(status, ticket, parse, operation, subject),
        );
      } catch (e) {
        this.sym.opendal_queue_release(this.queue, ticket);
        return Promise.reject(e);
      } finally {
        this.#free.push(ticket);
        if (sinks.size > 0) flushAllLogs();
      }
    }
    const { promise, resolve, reject } = Promise.withResolvers<T | Failure>();
    const waiting: Waiting = {
      resolve: resolve as (v: unknown) => void,
      reject,
      parse,
      operation,
      subject,
      signal,
      onAbort: undefined,
    };
    if (signal) {
      waiting.onAbort = () => {
        this.sym.opendal_queue_cancel(this.queue, ticket);
      };
      listen(signal, waiting.onAbort);
    }
    this.#waiting.set(ticket, waiting);
    this.#pump();
    return settle(promise);
  }

  /** How completions reach this copy, once an operation has waited for one. */
  get completions(): "callback" | "queue" | undefined {
    if (this.#notifier === undefined) return undefined;
    return this.#notifier ? "callback" : "queue";
  }

  #pump(): void {
    if (this.#waiting.size === 0) return;
    if (this.#notifier === undefined) this.#startNotifier();
    if (this.#notifier) {
      this.#notifier.hold();
      return;
    }
    if (this.#pumping) return;
    this.#pumping = true;
    this.sym.opendal_queue_wait(this.queue, this.#tickets, BATCH, -1).then(
      (n) => this.#collect(n),
      (e) => this.#failAll(e),
    );
  }

  #startNotifier(): void {
    this.#notifier = Notifier.start(this, this.#onReady) ?? null;
    if (!this.#notifier) return;
    // The last moments JavaScript runs before Deno may drop this isolate
    // (and free the callback): the library must not call it after them.
    for (const event of ["unload", "error", "unhandledrejection"]) {
      globalThis.addEventListener(event, this.#stopNotifier);
    }
  }

  /** Back to the queue path for good (see `notifier.ts`). */
  readonly #stopNotifier = (): void => {
    const notifier = this.#notifier;
    if (!notifier) return;
    this.#notifier = null;
    for (const event of ["unload", "error", "unhandledrejection"]) {
      globalThis.removeEventListener(event, this.#stopNotifier);
    }
    notifier.stop(this);
    this.#pump();
  };

  /**
   * Called by the library's notifier thread (which waits until this
   * returns and the microtasks it queued have run): collects every ready
   * ticket. Must not throw: Deno would only log it.
   */
  readonly #onReady = (): void => {
    try {
      let n: number;
      do {
        n = this.sym.opendal_queue_wait_now(
          this.queue,
          this.#readyTickets,
          BATCH,
          0,
        );
        if (n === Status.Closed) this.#failAll(closedError());
        else this.#settle(this.#readyTickets, n);
      } while (n === BATCH);
    } catch (e) {
      this.#failAll(e);
    }
    if (this.#waiting.size === 0) this.#notifier?.release();
  };

  #collect(n: number): void {
    this.#pumping = false;
    if (n === Status.Closed) {
      this.#failAll(closedError());
      return;
    }
    this.#settle(this.#tickets, n);
    this.#pump();
  }

  /** Settles the first `n` of `tickets`. */
  #settle(tickets: Uint32Array, n: number): void {
    for (let i = 0; i < n; i++) {
      const ticket = tickets[i];
      const w = this.#waiting.get(ticket);
      if (!w) {
        this.sym.opendal_queue_release(this.queue, ticket);
        continue;
      }
      this.#waiting.delete(ticket);
      if (w.onAbort) unlisten(w.signal!, w.onAbort);
      const status = this.sym.opendal_queue_outcome(
        this.queue,
        ticket,
        this.out,
        OUT_SIZE,
      );
      if (status !== Status.Ok && status !== Status.Held) {
        // Becomes an error in `settle`, where the caller awaits.
        w.resolve(this.failure(status, w.operation, w.subject, w.signal));
        this.sym.opendal_queue_release(this.queue, ticket);
      } else {
        try {
          w.resolve(
            this.finish(status, ticket, w.parse, w.operation, w.subject),
          );
        } catch (e) {
          this.sym.opendal_queue_release(this.queue, ticket);
          w.reject(e);
        }
      }
      this.#free.push(ticket);
    }
    if (sinks.size > 0) flushAllLogs();
  }

  #failAll(e: unknown): void {
    this.#pumping = false;
    for (const w of this.#waiting.values()) w.reject(e);
    this.#waiting.clear();
    this.#notifier?.release();
  }

  /** How many asynchronous calls are waiting for the library. */
  get pending(): number {
    return this.#waiting.size;
  }
}

function closedError(): Error {
  return opendalError("Unexpected", "the native completion queue was closed");
}

let native: Native | undefined;

/** The library, loaded on first use. */
export function lib(): Native {
  return native ??= new Native();
}
