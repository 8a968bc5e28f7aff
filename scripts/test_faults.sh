#!/usr/bin/env bash
# Fault and load tests (tests/faults/): servers killed, frozen and restarted
# mid-operation, truncated and silent servers, and 10 000 mixed operations
# across four services. The tests start their own moto, s3rver, redis-server
# and PostgreSQL on free ports (never the shared ones on the fixed ports) and
# stop them at the end. Exits non-zero when any test fails.
#
# The files are named *_fault.ts, not *_test.ts, and `deno task test` (which
# runs everything else under tests/ and needs no server) also passes
# --ignore=tests/faults/.
#
#   scripts/test_faults.sh                 # after `deno task build`
set -uo pipefail
cd "$(dirname "$0")/.."
export NO_COLOR=1

if ! scripts/services/install.sh; then
  echo "installing the test servers failed"
  echo "0 passed, 1 failed"
  exit 1
fi

exec deno test --allow-ffi --allow-read --allow-write --allow-env --allow-run \
  --allow-net=127.0.0.1 tests/faults/*_fault.ts
