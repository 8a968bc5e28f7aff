#!/usr/bin/env bash
# Installs every server the behavior tests can start (see README.md).
# Idempotent: each step checks first, so a second run takes about a second.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

# The heavy servers (Java, Go builds) are installed only for the services that
# need them: OPENDAL_SERVICES (space-separated names), when set, is the only
# ones wanted (bench/with_s3.sh wants s3); OPENDAL_SERVICES_EXCEPT leaves some
# out (the gate, for the servers its run leaves to the full run).
wanted() {
  local s
  for s in "$@"; do
    [[ -z ${OPENDAL_SERVICES:-} || " $OPENDAL_SERVICES " == *" $s "* ]] || continue
    [[ " ${OPENDAL_SERVICES_EXCEPT:-} " == *" $s "* ]] || return 0
  done
  return 1
}

APT_PACKAGES=(
  redis-server redis-tools postgresql mariadb-server mariadb-client memcached
  etcd-server etcd-client nginx-light libnginx-mod-http-dav-ext
  openssh-server openssh-client sqlite3 curl psmisc netcat-openbsd
  ca-certificates python3-venv vsftpd
)
wanted webhdfs hdfs-native && APT_PACKAGES+=(maven openjdk-17-jre-headless)

mkdir -p "$OPENDAL_SERVICES_HOME"

# --- apt ------------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
    missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt: installing ${missing[*]}"
  # Package scripts must not start system-wide redis/mariadb/nginx/etcd/sshd:
  # they would take the ports our own instances use. policy-rc.d exit 101
  # forbids that; add one only for this install if the machine has none.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "apt: all packages present"
fi

# --- PyPI: moto (S3) into its own venv ----------------------------------------
if [[ -x $VENV/bin/moto_server ]] &&
  [[ $("$VENV/bin/python" -c 'import moto; print(moto.__version__)' 2>/dev/null) == "$MOTO_VERSION" ]]; then
  log "pip: moto $MOTO_VERSION present"
else
  log "pip: installing moto[server]==$MOTO_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi

# --- PyPI: pymongo (FerretDB's readiness probe) ------------------------------
if ! wanted mongodb gridfs; then
  log "pip: pymongo not wanted"
elif [[ $("$VENV/bin/python" -c 'import pymongo; print(pymongo.__version__)' 2>/dev/null) == "$PYMONGO_VERSION" ]]; then
  log "pip: pymongo $PYMONGO_VERSION present"
else
  log "pip: installing pymongo==$PYMONGO_VERSION into $VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "pymongo==$PYMONGO_VERSION"
fi

# --- PyPI: OpenStack Swift (swift), in a venv of its own -----------------------
if ! wanted swift; then
  log "pip: swift not wanted"
elif [[ $("$SWIFT_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("swift"))' 2>/dev/null) == "$SWIFT_VERSION" ]]; then
  log "pip: swift $SWIFT_VERSION present"
else
  log "pip: installing swift==$SWIFT_VERSION into $SWIFT_VENV"
  python3 -m venv "$SWIFT_VENV"
  "$SWIFT_VENV/bin/pip" install -q --disable-pip-version-check "swift==$SWIFT_VERSION"
fi

# --- npm: azurite (azblob) and s3rver (second S3) ---------------------------
npm_version() { node -p "require('$NPM_PREFIX/node_modules/$1/package.json').version" 2>/dev/null; }
if [[ $(npm_version azurite) == "$AZURITE_VERSION" && $(npm_version s3rver) == "$S3RVER_VERSION" ]]; then
  log "npm: azurite $AZURITE_VERSION and s3rver $S3RVER_VERSION present"
else
  log "npm: installing azurite@$AZURITE_VERSION s3rver@$S3RVER_VERSION into $NPM_PREFIX"
  mkdir -p "$NPM_PREFIX"
  # A package.json of its own keeps npm from walking up to some other project.
  [[ -f $NPM_PREFIX/package.json ]] || echo '{"private": true}' >"$NPM_PREFIX/package.json"
  npm install --prefix "$NPM_PREFIX" --no-audit --no-fund --loglevel=error \
    "azurite@$AZURITE_VERSION" "s3rver@$S3RVER_VERSION"
fi

# --- Go: fake-gcs-server (gcs) ------------------------------------------------
command -v go >/dev/null || die "go is required to build fake-gcs-server"
if [[ -x $GOBIN_DIR/fake-gcs-server ]] &&
  go version -m "$GOBIN_DIR/fake-gcs-server" 2>/dev/null | grep -q "mod.*github.com/fsouza/fake-gcs-server.*$FAKE_GCS_VERSION"; then
  log "go: fake-gcs-server $FAKE_GCS_VERSION present"
else
  log "go: building fake-gcs-server@$FAKE_GCS_VERSION with $(go version)"
  mkdir -p "$GOBIN_DIR"
  GOBIN=$GOBIN_DIR go install "github.com/fsouza/fake-gcs-server@$FAKE_GCS_VERSION"
fi

# --- Go: FerretDB (mongodb, gridfs) and kubo (ipfs, ipmfs) --------------------
# Each is built from a module of ours under scripts/services/, whose go.mod
# pins the version: neither `go install`s as published. FerretDB's own command
# panics at start without a version file that only its release build
# generates (ours runs its embeddable package); kubo's go.mod replaces
# go-libp2p with a fork the Go module proxy does not serve (see kubo/go.mod).
# A binary is rebuilt when the pinned version or the module's own files
# change (the sum of those is kept beside the binary, in <binary>.src).
# go_build_pinned <dir> <module path> <package> <binary>
go_build_pinned() {
  local dir=$SERVICES_DIR/$1 module=$2 package=$3 bin=$GOBIN_DIR/$4 version src
  version=$(awk -v m="$module" '$1 == "require" && $2 == m { print $3 }' "$dir/go.mod")
  [[ -n $version ]] || die "$dir/go.mod does not require $module"
  src=$(cat "$dir"/go.mod "$dir"/go.sum "$dir"/*.go | sha256sum | cut -d' ' -f1)
  if [[ -x $bin && $(cat "$bin.src" 2>/dev/null) == "$src" ]] &&
    go version -m "$bin" 2>/dev/null | grep -qE "(mod|dep)[[:space:]]+${module}[[:space:]]+${version}"; then
    log "go: $4 ($module $version) present"
  else
    log "go: building $4 ($module $version) with $(go version)"
    mkdir -p "$GOBIN_DIR"
    (cd "$dir" && go build -trimpath -o "$bin" "$package")
    echo "$src" >"$bin.src"
  fi
}
wanted mongodb gridfs && go_build_pinned ferretdb github.com/FerretDB/FerretDB . ferretdb
wanted ipfs ipmfs && go_build_pinned kubo github.com/ipfs/kubo github.com/ipfs/kubo/cmd/ipfs ipfs

# --- Maven: Hadoop's MiniDFSCluster (webhdfs, hdfs-native) ---------------------
# The jars hadoop/pom.xml names, copied into $HADOOP_LIB; a changed pom
# copies them anew.
if ! wanted webhdfs hdfs-native; then
  log "install done under $OPENDAL_SERVICES_HOME (the HDFS jars not wanted)"
  exit 0
fi
command -v mvn >/dev/null || die "mvn (and a JDK) is required for the HDFS test cluster"
pom_sum=$(sha256sum "$SERVICES_DIR/hadoop/pom.xml" | cut -d' ' -f1)
if [[ -f $HADOOP_LIB/.pom.sha256 && $(cat "$HADOOP_LIB/.pom.sha256") == "$pom_sum" ]]; then
  log "maven: HDFS test cluster jars present"
else
  log "maven: copying the HDFS test cluster jars into $HADOOP_LIB"
  rm -rf "$HADOOP_LIB"
  mvn -q -B -f "$SERVICES_DIR/hadoop/pom.xml" dependency:copy-dependencies -DoutputDirectory="$HADOOP_LIB"
  echo "$pom_sum" >"$HADOOP_LIB/.pom.sha256"
fi

log "install done under $OPENDAL_SERVICES_HOME"
