#!/usr/bin/env bash
# Runs the crate's tests (`cargo test --release` in rust/) the way the
# library is built: with OPENDAL_DENO_PORTABLE=1 on Linux (as CI sets), through
# `cargo zigbuild` for the same glibc 2.28 target as scripts/build.ts, so the
# test build reuses every dependency the library build compiled instead of
# compiling them all a second time for the host target.
#
#   scripts/cargo_test.sh                          # every test
#   scripts/cargo_test.sh --no-default-features --features services-fs --lib
set -euo pipefail
cd "$(dirname "$0")/../rust"

# The glibc floor of a portable build (MAX_GLIBC in scripts/glibc_floor.ts).
GLIBC_FLOOR=2.28
if [ "${OPENDAL_DENO_PORTABLE:-}" = 1 ] && [ "$(uname -s)" = Linux ]; then
  exec cargo-zigbuild test --release --target "$(uname -m)-unknown-linux-gnu.$GLIBC_FLOOR" "$@"
fi
exec cargo test --release "$@"
