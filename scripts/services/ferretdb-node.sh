#!/usr/bin/env bash
# FerretDB over a PostgreSQL of its own, in the foreground, for start.sh:
# PostgreSQL (as the postgres user, on a Unix socket only, no TCP port) and
# FerretDB in front of it. Ends both on SIGTERM or SIGINT, and exits as soon
# as either exits, so start.sh sees a broken node as stopped.
#
#   ferretdb-node.sh <ferretdb binary> <postgresql bin dir> <data dir> <listen address>
#
# <data dir> holds the cluster, made by initdb (pg/), and the socket dir
# (sock/), both the postgres user's.
set -uo pipefail
ferretdb=$1 pg_bin=$2 data=$3 listen=$4

pids=()
stop_all() {
  # SIGINT is PostgreSQL's "fast" shutdown; SIGTERM would wait for clients.
  kill -TERM "${pids[1]:-}" 2>/dev/null
  kill -INT "${pids[0]}" 2>/dev/null
  wait
}
trap 'stop_all; exit 0' TERM INT

# Durability off: test data only.
setpriv --reuid=postgres --regid=postgres --init-groups env HOME=/ \
  "$pg_bin/postgres" -D "$data/pg" -c listen_addresses= \
  -c unix_socket_directories="$data/sock" \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off &
pids+=($!)
until "$pg_bin/pg_isready" -q -h "$data/sock"; do
  kill -0 "${pids[0]}" 2>/dev/null || {
    echo "ferretdb-node: postgres exited before it was ready" >&2
    exit 1
  }
  sleep 0.1
done

# FerretDB keeps each MongoDB database as a schema of this one.
"$ferretdb" -listen "$listen" -postgresql-url "postgres://postgres@/postgres?host=$data/sock" &
pids+=($!)
wait -n
echo "ferretdb-node: a server exited; stopping the other" >&2
stop_all
exit 1
