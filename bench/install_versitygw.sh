#!/usr/bin/env bash
# Builds versitygw (the S3 server bench/s3.ts runs) with `go install`, pinned,
# into the services' bin directory, and prints its path. Idempotent: a binary
# of the pinned version is reused. The first build takes 2-9 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/services/lib.sh
source scripts/services/lib.sh

VERSITYGW_VERSION=v1.8.0
bin=$GOBIN_DIR/versitygw
if ! [[ -x $bin ]] ||
  ! go version -m "$bin" 2>/dev/null | grep -q "mod.*github.com/versity/versitygw.*$VERSITYGW_VERSION"; then
  command -v go >/dev/null || die "go is required to build versitygw"
  log "go: building versitygw@$VERSITYGW_VERSION with $(go version)"
  mkdir -p "$GOBIN_DIR"
  GOBIN=$GOBIN_DIR go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
fi
echo "$bin"
