#!/usr/bin/env bash
# One OpenStack Swift node in the foreground, for start.sh: the memcached
# that tempauth keeps its tokens in, the account, container and object
# servers, and the proxy. Ends them all on SIGTERM or SIGINT, and exits as
# soon as any of them exits, so start.sh sees a broken node as stopped.
#
#   swift-node.sh <venv bin dir> <etc dir> <memcached port>
set -uo pipefail
bin=$1 etc=$2 memcached_port=$3

pids=()
stop_all() {
  kill -TERM "${pids[@]}" 2>/dev/null
  wait
}
trap 'stop_all; exit 0' TERM INT

memcached -u root -l 127.0.0.1 -p "$memcached_port" -U 0 &
pids+=($!)
for server in account container object proxy; do
  "$bin/swift-$server-server" "$etc/$server-server.conf" -v &
  pids+=($!)
done
wait -n
echo "swift-node: a server exited; stopping the others" >&2
stop_all
exit 1
