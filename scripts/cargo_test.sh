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

# The crates in rust/shims/ stand in for crates.io ones ([patch] in
# Cargo.toml); their own tests first (a few seconds, host target).
for shim in shims/*/; do
  cargo test --release --quiet --all-features --manifest-path "$shim/Cargo.toml"
done

if [ "${OPENDAL_DENO_PORTABLE:-}" = 1 ] && [ "$(uname -s)" = Linux ]; then
  # The glibc floor of a portable build, declared once (MAX_GLIBC).
  GLIBC_FLOOR=$(sed -n 's/^export const MAX_GLIBC = "\(.*\)";$/\1/p' ../scripts/glibc_floor.ts)
  [ -n "$GLIBC_FLOOR" ] || { echo "no MAX_GLIBC in scripts/glibc_floor.ts" >&2; exit 1; }
  exec cargo-zigbuild test --release --target "$(uname -m)-unknown-linux-gnu.$GLIBC_FLOOR" "$@"
fi
exec cargo test --release "$@"
