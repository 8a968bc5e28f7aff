#!/usr/bin/env bash
# Coverage-guided fuzzing of the C API: rust/fuzz/fuzz_targets/c_api.rs.
#
#   scripts/fuzz.sh [seconds]     (default 60)
#
# Runs on stable Rust without cargo-fuzz: cargo-fuzz only adds value with a
# sanitizer, and sanitizers need nightly (-Zsanitizer). What libFuzzer needs
# is the SanitizerCoverage instrumentation, which stable rustc has through
# -Cpasses=sancov-module and LLVM options, plus libfuzzer-sys (which builds
# libFuzzer itself with the C++ compiler). Debug assertions and overflow
# checks are on, so `from_raw_parts` misuse and arithmetic overflow crash.
# The library is built with only memory and fs (default features off,
# `services-fs` on): the C API layer is the same for every service.
#
# Corpus: ~/.cache/opendal-deno/fuzz-corpus (kept between runs), seeded from
# rust/fuzz/seeds. Exits non-zero on any crash, leaving the input in
# ~/.cache/opendal-deno/fuzz-artifacts.
set -euo pipefail
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
cache="$HOME/.cache/opendal-deno"
corpus="$cache/fuzz-corpus"
artifacts="$cache/fuzz-artifacts"
export CARGO_TARGET_DIR="$cache/fuzz-target"
mkdir -p "$corpus" "$artifacts"

# libfuzzer-sys compiles libFuzzer (C++).
if ! command -v c++ >/dev/null; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends g++
fi

triple=$(rustc -vV | sed -n 's/^host: //p')
export RUSTFLAGS="-Cpasses=sancov-module \
  -Cllvm-args=-sanitizer-coverage-level=4 \
  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
  -Cllvm-args=-sanitizer-coverage-pc-table \
  -Cllvm-args=-sanitizer-coverage-trace-compares \
  --cfg fuzzing -Cdebug-assertions -Coverflow-checks"

cd "$root/rust/fuzz"
# Same dependency versions as the library itself.
[ -f Cargo.lock ] || cp ../Cargo.lock Cargo.lock
start=$(date +%s)
# --target keeps RUSTFLAGS (the instrumentation) off build scripts.
cargo build --release --target "$triple" --bin c_api
echo "fuzz build: $(($(date +%s) - start)) s"

log="$cache/fuzz-last.log"
status=0
"$CARGO_TARGET_DIR/$triple/release/c_api" "$corpus" "$root/rust/fuzz/seeds" \
  -max_total_time="$seconds" -max_len=2048 -timeout=20 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1 || status=$?
# The last progress line (execs, coverage, corpus) and the final stats.
grep -E '^#[0-9]+' "$log" | tail -n 1 || true
grep -E '^stat::' "$log" || true
if [ "$status" -ne 0 ]; then
  tail -n 60 "$log" >&2
  echo "fuzzing found a crash (exit $status): input in $artifacts, log $log" >&2
  exit "$status"
fi
echo "fuzzing: no crash in ${seconds} s"
