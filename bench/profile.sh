#!/usr/bin/env bash
# Instructions per blocking memory operation, this module against raw Rust,
# counted by callgrind (stable on shared machines, unlike timings).
#
#   bench/profile.sh [STAGE...]     (default: stat read write)
#
# STAGE is one of bench/profile.ts's stages (stat, read, write, loop,
# statCall, statCallAb, statEncode, statDecode, readCall, readAlloc,
# writeCall, readInto, npmRead); stat, read and write also run raw Rust.
# PROFILE_SIZE sets the bytes each call reads or writes (default 16). Each runs twice, with
# COUNT_A and COUNT_B calls; the difference over COUNT_B - COUNT_A is one
# call, without start-up. Prints instructions per call by binary (deno is
# V8 and Deno's FFI glue, ??? is JIT-compiled JavaScript) and keeps the
# callgrind files in $OUT (default /tmp/opendal-profile) for
# callgrind_annotate. Needs valgrind and `deno task build`.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${OUT:-/tmp/opendal-profile}
warm=3000
count_a=2000
count_b=${COUNT_B:-42000}
target=${CARGO_TARGET_DIR:-$HOME/.cache/opendal-deno/target}
raw=${OPENDAL_BENCH_RAW:-$target/release/opendal_bench}
# deno task build builds only the library: build the raw binary here.
[ -n "${OPENDAL_BENCH_RAW:-}" ] || (cd rust && CARGO_TARGET_DIR=$target cargo build --release --bin opendal_bench)
mkdir -p "$out"

# Runs "$@" under callgrind into $out/$1. V8 writes machine code into its
# heap: --smc-check makes valgrind see it.
callgrind() {
  local name=$1
  shift
  valgrind --tool=callgrind --smc-check=all-non-file \
    --callgrind-out-file="$out/$name" "$@" >/dev/null 2>&1
}

# Instructions per call, by binary, between the runs $1-$count_a and $1-$count_b.
per_call() {
  python3 - "$out/$1-$count_a" "$out/$1-$count_b" $((count_b - count_a)) <<'EOF'
import collections, re, subprocess, sys

def by_object(path):
    text = subprocess.run(["callgrind_annotate", "--threshold=100", path],
                          capture_output=True, text=True).stdout
    totals = collections.Counter()
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+.*\[(.*)\]$", line)
        if m:
            totals[m.group(2).split("/")[-1]] += int(m.group(1).replace(",", ""))
    return totals

a, b, n = by_object(sys.argv[1]), by_object(sys.argv[2]), int(sys.argv[3])
diff = {k: (b[k] - a[k]) / n for k in a | b}
parts = [f"{k} {v:.0f}" for k, v in sorted(diff.items(), key=lambda kv: -kv[1]) if abs(v) >= 20]
print(f"{sum(diff.values()):8.0f}  ({', '.join(parts)})")
EOF
}

module() {
  for count in $count_a $count_b; do
    # Synchronous optimisation: JIT timing must not depend on valgrind's
    # thread scheduling.
    callgrind "module-$1-$count" deno run --allow-ffi --allow-read --allow-env --allow-run \
      --v8-flags=--no-concurrent-recompilation,--no-concurrent-sparkplug \
      bench/profile.ts "$1" "$warm" "$count"
  done
  echo "this module $1: $(per_call "module-$1")"
}

raw() {
  for count in $count_a $count_b; do
    # --count skips the binary's own warm-up; there is no JIT to warm.
    callgrind "raw-$1-$count" "$raw" --service memory --op "$1" --size "${PROFILE_SIZE:-16}" \
      --path p --in-flight sync --count "$count"
  done
  echo "raw Rust    $1: $(per_call "raw-$1")"
}

stages=("$@")
if [ ${#stages[@]} -eq 0 ]; then stages=(stat read write); fi
for stage in "${stages[@]}"; do
  module "$stage"
  case $stage in stat | read | write) raw "$stage" ;; esac
done
