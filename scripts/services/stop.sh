#!/usr/bin/env bash
# Stops test servers started by start.sh, by their recorded pid, and waits
# until each has exited. Idempotent: a service that is not running is fine.
#
#   scripts/services/stop.sh <service>...   (or: all)
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

(($#)) || die "usage: $0 <service>...|all (services: ${ALL_SERVICES[*]})"
[[ $1 != all ]] || set -- "${ALL_SERVICES[@]}"
for svc in "$@"; do
  [[ " ${ALL_SERVICES[*]} " == *" $svc "* ]] || die "unknown service '$svc' (one of: ${ALL_SERVICES[*]})"
  state=$(state_dir "$svc")
  [[ -d $state ]] || continue
  # The env file goes first: it must never point at a server that is gone.
  rm -f "$state/env"
  was_running=false
  ! is_running "$state/pid" || was_running=true
  case $svc in
  # SIGINT is PostgreSQL's "fast" shutdown; SIGTERM would wait for clients.
  postgresql) stop_pid "$state/pid" INT ;;
  *) stop_pid "$state/pid" TERM ;;
  esac
  # Data is throwaway (start.sh begins from empty); keys, config and log stay.
  remove_data "$state"
  ! $was_running || log "$svc: stopped"
done
