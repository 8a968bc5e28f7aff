#!/usr/bin/env bash
# Installs npm:opendal (pinned in bench/npm/package.json) for bench/compare.ts.
# Idempotent: does nothing when it is already installed.
set -euo pipefail

cd "$(dirname "$0")/.."
if [[ -d bench/npm/node_modules/opendal ]]; then
  exit 0
fi
npm install --no-audit --no-fund --prefix bench/npm
