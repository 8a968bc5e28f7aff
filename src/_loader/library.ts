/**
 * The native library of an isolate: loaded by the first copy of this module
 * that needs it and published on `globalThis`, where every later copy with
 * the same ABI version finds it and uses it instead of loading its own. All
 * those copies then share one runtime and one handle table, so their
 * objects mix freely. A copy with another ABI version loads its own library;
 * objects never cross between the two (see {@link handleFrom}).
 *
 * @module
 */

import { invalidArgument, opendalError } from "../errors.ts";
import { libraryAbi, librarySymbols, type Symbols } from "../_ffi/symbols.ts";
import { libraryPath, NATIVE_SPECIFIER } from "./locate.ts";
import { HANDLE, LIBRARY, type LibraryInfo } from "../shared.ts";

/**
 * The version of the boundary between this module and its native library
 * (`OPENDAL_ABI_VERSION` in `rust/include/opendal_deno.h`, which this mirrors:
 * `tests/abi_test.ts` checks both). Bumped with any change to the header:
 * a function, a constant, a record layout.
 */
export const ABI_VERSION = 5;

/** This copy's package version: the loader names its own version's library. */
const VERSION: string = NATIVE_SPECIFIER.slice(
  NATIVE_SPECIFIER.lastIndexOf("@") + 1,
);

/** A loaded library and what identifies it. */
export interface Library {
  /** What every object of this library carries (see `shared.ts`). */
  readonly info: LibraryInfo;
  /** Its symbols. */
  readonly symbols: Symbols;
}

// One key per ABI version: only a copy that shares the boundary reads it.
const KEY = Symbol.for(`@opendal/core/library/abi-${ABI_VERSION}`);

/** The library of this isolate for this ABI version, loaded on first use. */
export function library(): Library {
  const g = globalThis as unknown as Record<symbol, Library | undefined>;
  return g[KEY] ??= load();
}

function load(): Library {
  const path = libraryPath();
  const abi = libraryAbi(path);
  if (abi !== ABI_VERSION) {
    const has = abi === undefined
      ? "has none (it predates ABI versions)"
      : `has ${abi}`;
    throw new Error(
      `@opendal/core ${VERSION} needs a native library of ABI version ${ABI_VERSION}, ` +
        `but ${path} ${has}: rebuild it from this version's sources ` +
        "(deno task build), or unset OPENDAL_DENO_LIB to use the library made for this version",
    );
  }
  const symbols = librarySymbols(path);
  const info: LibraryInfo = Object.freeze({
    abi,
    version: VERSION,
    path,
    instance: symbols.opendal_instance(),
  });
  return Object.freeze({ info, symbols });
}

/** How an object and its library are named in errors. */
function describe(info: LibraryInfo | undefined): string {
  return info
    ? `@opendal/core ${info.version} (ABI ${info.abi}, native library ${info.path})`
    : "a copy of @opendal/core too old to tell its native library";
}

/**
 * The handle of `value`, an object of `kind` from any copy of this module,
 * when it belongs to the library `mine`. An object of another library is
 * refused with an error naming both, never passed on.
 */
export function handleFrom(
  value: unknown,
  kind: "Layer" | "Operator",
  mine: LibraryInfo,
  context: { operation: string; usage: string },
): number {
  if (typeof value !== "object" || value === null || !(HANDLE in value)) {
    throw invalidArgument(context.usage);
  }
  const theirs = (value as { [LIBRARY]?: LibraryInfo })[LIBRARY];
  if (theirs?.instance !== mine.instance) {
    throw opendalError(
      "ConfigInvalid",
      `this ${kind} belongs to ${
        describe(theirs)
      }, which cannot share objects with ` +
        `${
          describe(mine)
        }: make every import of @opendal/core resolve to one version ` +
        "(or to versions with the same ABI)",
      { operation: context.operation },
    );
  }
  const handle = (value as { [HANDLE]: unknown })[HANDLE];
  if (typeof handle !== "number") throw invalidArgument(context.usage);
  return handle;
}
