#!/usr/bin/env bash
# A slim library: builds one with only fs, memory and s3 (`deno task build
# --services fs,s3`) beside the full one, prints its stripped size
# beside the full library's, and runs tests/slim/slim_library.ts against it
# (fs works; every other service is Unsupported, saying how to build it in),
# then the crate's service-list tests in the same slim configuration. The
# full library in rust/target/release/ is left as it is.
#
#   scripts/test_slim.sh    # SLIM_TARGET_DIR: the slim build's target dir (default: CARGO_TARGET_DIR's)
set -euo pipefail
cd "$(dirname "$0")/.."

# The library build's target dir by default: the slim build then compiles
# only what its fewer features change (scripts/build.ts rebuilds the crate
# when the features differ from the last build's, so the full library is
# relinked on its next build).
target=${SLIM_TARGET_DIR:-${CARGO_TARGET_DIR:-${HOME}/.cache/opendal-deno/target}}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

CARGO_TARGET_DIR="$target" deno task build --services fs,s3 --out-dir "$out"
slim="$out/libopendal_deno.so"

stripped_size() {
  strip -o "$out/stripped" "$1" && stat -c %s "$out/stripped"
}
echo "slim library (fs, memory, s3): $(stripped_size "$slim") bytes stripped"
full=rust/target/release/libopendal_deno.so
if [ -f "$full" ]; then
  echo "full library: $(stripped_size "$full") bytes stripped"
fi

OPENDAL_DENO_LIB="$slim" deno test --allow-ffi --allow-read --allow-write \
  --allow-env tests/slim/slim_library.ts

CARGO_TARGET_DIR="$target" scripts/cargo_test.sh --no-default-features \
  --features services-fs,services-s3 --lib -- services service_list
