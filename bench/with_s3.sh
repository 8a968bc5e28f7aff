#!/usr/bin/env bash
# Runs "$@" with a local S3 server (moto, from scripts/services/) and its
# OPENDAL_S3_* settings in the environment, so bench/compare.ts adds its S3
# rows. A server that was already running is shared and left running.
#
#   bench/with_s3.sh deno run ... bench/compare.ts [--smoke]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/services/lib.sh
source scripts/services/lib.sh

OPENDAL_SERVICES=s3 scripts/services/install.sh >&2 # moto, not the heavy servers
started=false
is_running "$(state_dir s3)/pid" || started=true
env_file=$(scripts/services/start.sh s3)
if $started; then trap 'scripts/services/stop.sh s3 >/dev/null' EXIT; fi
set -a
# shellcheck disable=SC1090
source "$env_file"
set +a
"$@"
