#!/usr/bin/env bash
# Compiles tests/c/smoke.c against the committed header, links the built
# library, and runs it.
#
#   tests/c/run.sh              run it
#   tests/c/run.sh --valgrind   run it under valgrind's memcheck: any memory
#                               error or leak fails (RUN_VALGRIND=1
#                               does the same)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lib="$root/rust/target/release"
valgrind=${RUN_VALGRIND:-0}
[ "${1:-}" = "--valgrind" ] && valgrind=1
if [ "$valgrind" = 1 ] && ! readelf -S "$lib/libopendal_deno.so" | grep -q '\.symtab'; then
  # valgrind.supp names functions, so memcheck needs the symbol table, which
  # zig's linker drops from a portable build: check the host build of the
  # same sources instead (after `cargo test --release` only the link is left).
  target_dir=${CARGO_TARGET_DIR:-$HOME/.cache/opendal-deno/target}
  (cd "$root/rust" && CARGO_TARGET_DIR="$target_dir" cargo build --release --quiet)
  lib="$target_dir/release"
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -std=c11 -g -Wall -Wextra -Werror -I "$root/rust/include" "$here/smoke.c" \
  -L "$lib" -lopendal_deno -Wl,-rpath,"$lib" -o "$out/smoke"
if [ "$valgrind" != 1 ]; then
  exec "$out/smoke"
fi
if ! command -v valgrind >/dev/null; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends valgrind
fi
# Memory errors and definite or possible leaks fail the run; valgrind.supp
# lists (and explains) the only one-time runtime allocations allowed.
valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,possible \
  --show-leak-kinds=definite,possible --error-exitcode=1 \
  --suppressions="$here/valgrind.supp" "$out/smoke"
echo "valgrind: no memory errors, no leaks"
