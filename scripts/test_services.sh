#!/usr/bin/env bash
# Runs the behavior suite, the layer matrix and the interop tests against each
# service's real server, one service at a time: start, test, stop (the
# in-process stores run the behavior suite only). A server
# that fails to install or start fails the run; nothing is skipped silently.
# Writes the per-service results to $OPENDAL_SERVICES_RESULTS (TSV) and the
# README's services table from them.
#
#   scripts/test_services.sh              # every service
#   OPENDAL_SERVICES="redis s3" scripts/test_services.sh
#   OPENDAL_SERVICES="webhdfs hdfs-native" scripts/test_services.sh  # the full run's (.ci/full)
#   OPENDAL_SERVICES="sled redb" scripts/test_services.sh  # in-process stores: no server started or stopped
set -uo pipefail
cd "$(dirname "$0")/.."

# In-process stores: no server, only a fresh directory (embedded_env).
EMBEDDED="dashmap mini-moka moka foyer cacache persy redb sled"
services=()
# OPENDAL_SERVICES_EXCEPT leaves services out (scripts/services/install.sh
# then leaves out their servers too).
for service in ${OPENDAL_SERVICES:-fs memory $EMBEDDED s3 s3rver azblob gcs webdav http sftp redis postgresql mysql sqlite memcached etcd ftp swift ipfs ipmfs gridfs mongodb}; do
  [[ " ${OPENDAL_SERVICES_EXCEPT:-} " == *" $service "* ]] || services+=("$service")
done
results=${OPENDAL_SERVICES_RESULTS:-$(mktemp)}
: >"$results"
perms=(--allow-ffi --allow-read --allow-write --allow-env --allow-run --allow-net=127.0.0.1 --allow-sys)
status=0
export NO_COLOR=1

# "ok | 12 passed | 0 failed | 3 ignored" -> "12 0 3"
summary() {
  grep -E '^(ok|FAILED) \| [0-9]+ passed' "$1" | tail -1 |
    awk '{ for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p = $i; if ($(i+1) ~ /^failed/) f = $i; if ($(i+1) ~ /^ignored/) g = $i } }
         END { print (p + 0), (f + 0), (g + 0) }'
}

is_embedded() { [[ " fs memory $EMBEDDED " == *" $1 "* ]]; }

# embedded_env <service> <dir>: the suite's settings for a store kept in
# <dir>. cacache and persy take no root, so no random root (their store is
# fresh anyway). sled, redb and persy lock their files: each operator of a
# run opens a store of its own (OPENDAL_TEST_EXCLUSIVE_KEY).
embedded_env() {
  echo "export OPENDAL_TEST=$1"
  case $1 in
  cacache)
    echo "export OPENDAL_CACACHE_DATADIR=$2/cacache OPENDAL_DISABLE_RANDOM_ROOT=true" ;;
  persy)
    echo "export OPENDAL_PERSY_DATAFILE=$2/data.persy OPENDAL_PERSY_SEGMENT=data OPENDAL_PERSY_INDEX=index"
    echo "export OPENDAL_DISABLE_RANDOM_ROOT=true OPENDAL_TEST_EXCLUSIVE_KEY=datafile" ;;
  redb)
    echo "export OPENDAL_REDB_DATADIR=$2/data.redb OPENDAL_REDB_TABLE=data OPENDAL_TEST_EXCLUSIVE_KEY=datadir" ;;
  sled)
    echo "export OPENDAL_SLED_DATADIR=$2/sled OPENDAL_TEST_EXCLUSIVE_KEY=datadir" ;;
  esac
}

# Only servers need installing: a run of in-process stores needs none.
needs_servers=false
for service in "${services[@]}"; do is_embedded "$service" || needs_servers=true; done
if $needs_servers && ! scripts/services/install.sh; then
  echo "installing the test servers failed"
  echo "0 passed, 1 failed"
  exit 1
fi

for service in "${services[@]}"; do
  echo "=== $service"
  env_file=$(mktemp)
  data=""
  if is_embedded "$service"; then
    data=$(mktemp -d)
    embedded_env "$service" "$data" >"$env_file"
  elif ! env_file=$(scripts/services/start.sh "$service"); then
    echo "$service: the server did not start"
    printf '%s\t%s\t%s\t%s\t%s\n' "$service" 0 1 0 "server did not start" >>"$results"
    echo "FAILED | 0 passed | 1 failed"
    status=1
    continue
  fi
  log=$(mktemp)
  (
    set -a
    # shellcheck disable=SC1090
    source "$env_file"
    set +a
    deno test "${perms[@]}" tests/behavior/ 2>&1 | tee "$log"
    behavior=${PIPESTATUS[0]}
    others=0
    # The layers, the service tests and the secrets checks meet nothing an
    # in-process store adds to what memory and fs already show them: the
    # stores run the behavior suite alone, which keeps the gate short.
    if [[ " $EMBEDDED " != *" $service "* ]]; then
      deno test "${perms[@]}" tests/layers/matrix_test.ts tests/services/ tests/reliability/secrets_test.ts 2>&1
      others=$?
    fi
    [ "$behavior" = 0 ] && [ "$others" = 0 ]
  )
  rc=$?
  read -r passed failed ignored < <(summary "$log")
  printf '%s\t%s\t%s\t%s\t%s\n' "$service" "$passed" "$failed" "$ignored" "" >>"$results"
  [ "$rc" = 0 ] && [ "$failed" = 0 ] || status=1
  rm -f "$log"
  if [ -n "$data" ]; then
    rm -rf "$data"
  else
    scripts/services/stop.sh "$service" >/dev/null || status=1
  fi
done

deno run --allow-read --allow-write --allow-run=deno scripts/services_table.ts "$results" || status=1
exit $status
