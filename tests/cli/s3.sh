#!/usr/bin/env bash
# Runs the command-line tool's S3 tests (tests/cli/s3_test.ts) against moto.
# Starts moto with scripts/services/start.sh unless it is already running;
# a server that was already running is shared, so it is left running.
#
#   tests/cli/s3.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../scripts/services/lib.sh
source scripts/services/lib.sh

started=false
if ! is_running "$(state_dir s3)/pid"; then started=true; fi
env_file=$(scripts/services/start.sh s3)
if $started; then trap 'scripts/services/stop.sh s3 >/dev/null' EXIT; fi
set -a
# shellcheck disable=SC1090
source "$env_file"
set +a
deno test --allow-ffi --allow-read --allow-write --allow-env --allow-run \
  --allow-net=127.0.0.1 tests/cli/s3_test.ts
