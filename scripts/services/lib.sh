# Shared helpers for install.sh, start.sh and stop.sh (sourced, not run).
# shellcheck shell=bash disable=SC2034  # the variables are for the scripts that source this

SERVICES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OPENDAL_SERVICES_HOME=${OPENDAL_SERVICES_HOME:-$HOME/.cache/opendal-deno/services}
export OPENDAL_SERVICES_HOME

# Pinned versions of what does not come from apt.
MOTO_VERSION=5.2.5
AZURITE_VERSION=3.37.0
S3RVER_VERSION=3.7.1
FAKE_GCS_VERSION=v1.55.1
PYMONGO_VERSION=4.20.0
SWIFT_VERSION=2.38.3

VENV=$OPENDAL_SERVICES_HOME/venv
# Swift pins its own eventlet, greenlet and friends: a venv of its own.
SWIFT_VENV=$OPENDAL_SERVICES_HOME/venv-swift
NPM_PREFIX=$OPENDAL_SERVICES_HOME/npm
GOBIN_DIR=$OPENDAL_SERVICES_HOME/bin
HADOOP_LIB=$OPENDAL_SERVICES_HOME/hadoop/lib

ALL_SERVICES=(s3 s3rver azblob gcs webdav http sftp redis postgresql mysql sqlite memcached etcd ftp mongodb gridfs swift ipfs ipmfs webhdfs hdfs-native)

log() { echo "[services] $*" >&2; }
die() {
  echo "[services] ERROR: $*" >&2
  exit 1
}

# state_dir <service>: where a service keeps its data, logs, pid and env.
state_dir() { echo "$OPENDAL_SERVICES_HOME/state/$1"; }

# alive <pid>: the process exists and is not a zombie. Servers are orphaned
# to init once start.sh exits, and init may reap them late: kill -0 alone
# would see an exited server as running.
alive() {
  local stat
  kill -0 "$1" 2>/dev/null || return 1
  read -r stat <"/proc/$1/stat" 2>/dev/null || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# is_running <pidfile>: true when the pid in the file is a live process.
is_running() {
  local pid
  [[ -s $1 ]] || return 1
  pid=$(head -n1 "$1")
  [[ -n $pid ]] && alive "$pid"
}

# wait_until <timeout-seconds> <logfile> <pidfile> <cmd...>: polls cmd every
# 0.1 s. Fails loudly with the log tail on timeout or when the server dies, so
# a broken start never looks like a slow one.
wait_until() {
  local timeout=$1 logfile=$2 pidfile=$3
  shift 3
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [[ -n $pidfile ]] && ! is_running "$pidfile"; then
      echo "[services] ERROR: server exited while starting; last log lines of $logfile:" >&2
      tail -n 30 "$logfile" >&2 || true
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      echo "[services] ERROR: not ready after ${timeout}s: $*; last log lines of $logfile:" >&2
      tail -n 30 "$logfile" >&2 || true
      exit 1
    fi
    sleep 0.1
  done
}

# port_open <port>: something accepts TCP on 127.0.0.1:<port>.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# http_ok <url> [curl args...]: the URL answers with any HTTP status.
http_ok() {
  local url=$1
  shift
  curl -sS -o /dev/null -m 2 "$@" "$url"
}

# require_free_port <port>: refuse to start over somebody else's server, whose
# answers would otherwise make the readiness poll pass.
require_free_port() {
  if port_open "$1"; then
    die "port $1 on 127.0.0.1 is already in use (another server?); stop it first"
  fi
}

# stop_pid <pidfile> [signal]: kills the recorded process and waits for it to
# exit (up to 20 s, then SIGKILL), so the port is free when this returns.
# Its direct children are ended too if they outlive it (sshd's sessions do).
stop_pid() {
  local pidfile=$1 sig=${2:-TERM} pid children i
  if ! is_running "$pidfile"; then
    rm -f "$pidfile"
    return 0
  fi
  pid=$(head -n1 "$pidfile")
  children=$(pgrep -P "$pid" || true)
  kill "-$sig" "$pid" 2>/dev/null || true
  wait_exit "$pid"
  for i in $children; do
    kill -TERM "$i" 2>/dev/null || true
    wait_exit "$i"
  done
  rm -f "$pidfile"
}

# wait_exit <pid>: waits up to 20 s for pid to exit, then SIGKILLs it.
wait_exit() {
  local pid=$1 i
  for ((i = 0; i < 200; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  log "pid $pid still alive after 20s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  while alive "$pid"; do sleep 0.1; done
}

# remove_data <state>: deletes a service's data dir, and the private /tmp dir
# it may link to (see fresh_data in start.sh).
remove_data() {
  local target
  if [[ -L $1/data ]]; then
    target=$(readlink "$1/data")
    [[ $target != /tmp/opendal-deno-* ]] || rm -rf "$target"
  fi
  rm -rf "$1/data"
}

# spawn <pidfile> <logfile> <cmd...>: runs cmd in the background, detached
# from this shell (setsid, no stdin), and records its pid. The command must
# stay in the foreground itself (no daemonizing), so the pid is the server.
spawn() {
  local pidfile=$1 logfile=$2
  shift 2
  setsid "$@" </dev/null >>"$logfile" 2>&1 &
  echo $! >"$pidfile"
}
