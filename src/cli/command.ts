/**
 * What every command of the tool gets: its parsed flags, and the operators
 * its arguments name.
 *
 * @module
 */

import { MimeGuessLayer } from "../../layers/mime_guess.ts";
import { OpendalError } from "../errors.ts";
import { naming } from "../failure.ts";
import { Operator } from "../operator.ts";
import { messageText } from "./exit.ts";
import { asWritten, type Location, parseLocation } from "./location.ts";

/** Flags shared by every command, after parsing. */
export interface Flags {
  /** `--json`: machine-readable output. */
  readonly json: boolean;
  /** `--progress` (true), `--no-progress` (false), or decide by the terminal. */
  readonly progress?: boolean;
  /** `-r`, `--recursive`. */
  readonly recursive: boolean;
  /** `-l`, `--long`. */
  readonly long: boolean;
  /** `-f`, `--force`. */
  readonly force: boolean;
  /** `-v`, `--verbose`: errors with everything OpenDAL reported. */
  readonly verbose: boolean;
  /** `--content-type <type>` for what `cp` and `mv` write. */
  readonly contentType?: string;
  /** `--expire <seconds>` for presign. */
  readonly expire: number;
  /** `-o key=value` service options. */
  readonly options: Readonly<Record<string, string>>;
}

/** An argument opened: its operator and the path in it. */
export interface Target {
  /** The operator (shared by arguments naming the same service). */
  readonly op: Operator;
  /** Where the argument points. */
  readonly loc: Location;
}

/** The flags and operators of one run of the tool; disposing closes them. */
export class Context implements Disposable {
  /** The parsed flags. */
  readonly flags: Flags;
  /** Aborted when the user interrupts the tool (Ctrl-C). */
  readonly signal?: AbortSignal;
  readonly #ops = new Map<string, Operator>();
  readonly #guessing = new Map<Operator, Operator>();
  readonly #opened: Location[] = [];

  /** A context for `flags`; `signal` interrupts the running command. */
  constructor(flags: Flags, signal?: AbortSignal) {
    this.flags = flags;
    this.signal = signal;
  }

  /** Opens the service `arg` names (once per distinct service and config). */
  open(arg: string): Target {
    const loc = parseLocation(arg, this.flags.options);
    const key = JSON.stringify([
      loc.scheme,
      Object.entries(loc.config).sort(([a], [b]) => a < b ? -1 : 1),
    ]);
    let op = this.#ops.get(key);
    if (!op) {
      op = new Operator(loc.scheme, loc.config);
      this.#ops.set(key, op);
    }
    this.#opened.push(loc);
    return { op, loc };
  }

  /**
   * `error`'s message, naming its paths the way the user wrote the arguments
   * they are under (`/tmp/x` rather than the service's `tmp/x`, `s3://b/k`
   * rather than `k`); the message itself when it names no path.
   */
  messageOf(error: unknown): string {
    const message = messageText(error);
    if (!(error instanceof OpendalError) || error.path === undefined) {
      return message;
    }
    const { operation = "", path, target } = error;
    const paths = target === undefined ? [path] : [path, target];
    const where = naming(operation, paths);
    if (!message.endsWith(where)) return message;
    const shown = paths.map((p) => this.#asTyped(p) ?? p);
    return message.slice(0, -where.length) + naming(operation, shown);
  }

  /**
   * `path` as written under the argument whose path holds it most closely;
   * `undefined` when none holds it, or two would show it differently.
   */
  #asTyped(path: string): string | undefined {
    const holders = this.#opened.filter((loc) => holds(loc.path, path));
    const closest = Math.max(...holders.map((loc) => loc.path.length));
    const shown = new Set(
      holders.filter((loc) => loc.path.length === closest)
        .map((loc) => asWritten(loc, path)),
    );
    return shown.size === 1 ? [...shown][0] : undefined;
  }

  /**
   * `op`, setting the content type of what it writes from the file name
   * where the service stores one (as `aws s3 cp` does); `op` itself where it
   * does not.
   */
  guessingTypes(op: Operator): Operator {
    if (!op.capability().writeWithContentType) return op;
    let guessing = this.#guessing.get(op);
    if (!guessing) {
      guessing = op.layer(new MimeGuessLayer());
      this.#guessing.set(op, guessing);
    }
    return guessing;
  }

  /** Whether to draw progress bars: forced by a flag, else when stderr is a terminal. */
  get showProgress(): boolean {
    return this.flags.progress ?? Deno.stderr.isTerminal();
  }

  /** Closes every operator opened. */
  [Symbol.dispose](): void {
    // A layered operator closes the one it wraps too (a second close is a no-op).
    for (const op of this.#guessing.values()) op.close();
    for (const op of this.#ops.values()) op.close();
    this.#guessing.clear();
    this.#ops.clear();
  }
}

/** Whether `path` is `dir` itself or lies under it (`""` holds every path). */
function holds(dir: string, path: string): boolean {
  if (dir === "" || path === dir) return true;
  const prefix = dir.endsWith("/") ? dir : `${dir}/`;
  return path.startsWith(prefix);
}

/** One command of the tool. */
export interface Command {
  /** Its name on the command line. */
  readonly name: string;
  /** The usage line's arguments, e.g. `[-r] <src> <dst>`. */
  readonly usage: string;
  /** One line on what it does. */
  readonly summary: string;
  /** Longer help: flags and notes. */
  readonly help: string;
  /** The flags it accepts beyond `--json`, `-o` and `--help`. */
  readonly flags: readonly (keyof Flags)[];
  /** How many positional arguments it takes: [min, max]. */
  readonly arity: readonly [number, number];
  /** Runs it; a thrown error becomes the exit code. */
  run(ctx: Context, args: readonly string[]): Promise<void>;
}
