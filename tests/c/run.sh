#!/usr/bin/env bash
# Compiles tests/c/smoke.c against the committed header, links the built
# library, and runs it (under valgrind's leak check when RUN_VALGRIND=1).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lib="$root/rust/target/release"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -std=c11 -Wall -Wextra -Werror -I "$root/rust/include" "$here/smoke.c" \
  -L "$lib" -lopendal_deno -Wl,-rpath,"$lib" -o "$out/smoke"
"$out/smoke"
