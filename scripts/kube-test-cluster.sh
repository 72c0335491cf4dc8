#!/usr/bin/env bash
# A throw-away Kubernetes control plane (etcd + kube-apiserver, no controllers, no nodes) on free
# loopback ports, for `kubectl apply -k` against a real API server (test/cluster, and by hand).
#
#   scripts/kube-test-cluster.sh build             build etcd, kube-apiserver, kubectl once (cached)
#   scripts/kube-test-cluster.sh check             exit 0 and print the bin dir if the build is current
#   scripts/kube-test-cluster.sh start [--dir D] [--owner-pid P]
#                                                  start a control plane; prints KUBECONFIG=, KUBECTL=, SERVER=
#                                                  (with P: stopped by itself once process P exits)
#   scripts/kube-test-cluster.sh env   [--dir D]   `eval "$(… env)"`: KUBECONFIG and PATH for a running one
#   scripts/kube-test-cluster.sh stop  [--dir D]   stop it and delete its state dir
#
# Versions are pinned in tools/kube/go.mod (the single source of truth). Binaries are cached under
# ${DRONETRACK_CACHE:-$HOME/.cache/dronetrack}/kube/<kubernetes version>/bin and rebuilt only when
# tools/kube/go.mod or go.sum change. D defaults to $KUBE_TEST_CLUSTER_DIR or <cache>/kube/cluster.
# See docs/kubernetes-tests.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
MOD="$here/../tools/kube"
CACHE="${DRONETRACK_CACHE:-$HOME/.cache/dronetrack}"
# No `| head`/`| grep -q` anywhere in here: under pipefail, the SIGPIPE a writer gets once the
# reader has exited early fails the pipeline (exit 141) whenever the writer is slower: a race.
# sed quits at the first match itself instead.
KUBE_VERSION="$(sed -n 's#^[[:space:]]*k8s.io/kubernetes \(v[0-9.]*\).*#\1#p;T;q' "$MOD/go.mod")"
ETCD_VERSION="$(sed -n 's#^[[:space:]]*go.etcd.io/etcd/server/v3 \(v[0-9.]*\).*#\1#p;T;q' "$MOD/go.mod")"
[ -n "$KUBE_VERSION" ] && [ -n "$ETCD_VERSION" ] || { echo "kube-test-cluster: cannot read the pinned versions from $MOD/go.mod" >&2; exit 2; }
BIN="$CACHE/kube/$KUBE_VERSION/bin"
BINARIES=(etcd kube-apiserver kubectl)

log() { echo "kube-test-cluster: $*" >&2; }
die() { log "$*"; exit 1; }

pin_key() { cat "$MOD/go.mod" "$MOD/go.sum" | sha256sum | cut -c1-16; }

is_current() {
  [ -f "$BIN/.pin" ] && [ "$(cat "$BIN/.pin")" = "$(pin_key)" ] || return 1
  local b; for b in "${BINARIES[@]}"; do [ -x "$BIN/$b" ] || return 1; done
}

cmd_check() {
  if is_current; then echo "$BIN"; return 0; fi
  if [ -d "$BIN" ]; then log "binaries in $BIN are missing or stale (tools/kube/go.mod changed): run $0 build"
  else log "kubernetes $KUBE_VERSION is not built: run $0 build (about 10 minutes cold)"; fi
  return 1
}

cmd_build() {
  if is_current; then log "kubernetes $KUBE_VERSION, etcd $ETCD_VERSION already built in $BIN"; return 0; fi
  command -v go >/dev/null || die "Go is required to build the control plane"
  source "$here/lib/go-env.sh"
  local minor="${KUBE_VERSION#v1.}"; minor="${minor%%.*}"
  local x="-X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1"
  x+=" -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
  x+=" -X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z"
  local ldflags="-s -w $x ${x//k8s.io\/component-base\/version/k8s.io/client-go/pkg/version}"
  local tmp="$BIN.tmp.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  trap 'rm -rf "$tmp"' EXIT
  log "building kube-apiserver and kubectl $KUBE_VERSION, etcd $ETCD_VERSION into $BIN (cold: about 10 minutes on 2 cores)"
  local start=$SECONDS
  (cd "$MOD" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl)
  (cd "$MOD" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3)
  pin_key > "$tmp/.pin"
  rm -rf "$BIN"; mv "$tmp" "$BIN"; trap - EXIT
  log "built in $((SECONDS - start)) s:"
  "$BIN/kube-apiserver" --version >&2; "$BIN/kubectl" version --client >&2
  local etcd_version; etcd_version="$("$BIN/etcd" --version)"; echo "${etcd_version%%$'\n'*}" >&2
}

# --- a running control plane ---------------------------------------------------------------------

DIR=""
OWNER_PID=""
parse_dir() {
  DIR="${KUBE_TEST_CLUSTER_DIR:-$CACHE/kube/cluster}"
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) DIR="$2"; shift 2 ;;
      --dir=*) DIR="${1#--dir=}"; shift ;;
      --owner-pid) OWNER_PID="$2"; shift 2 ;;
      *) die "unknown argument: $1" ;;
    esac
  done
  DIR="$(realpath -m "$DIR")"
}

# A pid from our state dir, only while it still is the process we started.
live_pid() {
  local f="$DIR/$1.pid" pid
  [ -f "$f" ] || return 1
  pid="$(cat "$f")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  local cmdline; cmdline="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$BIN/$2"* ]] || return 1
  echo "$pid"
}

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

print_env() {
  echo "KUBECONFIG=$DIR/kubeconfig"
  echo "KUBECTL=$BIN/kubectl"
  echo "SERVER=$(cat "$DIR/server")"
  echo "DIR=$DIR"
}

stop_pid() {
  local name="$1" bin="$2" pid i
  pid="$(live_pid "$name" "$bin")" || { rm -f "$DIR/$name.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do [ -r "/proc/$pid/cmdline" ] || break; sleep 0.1; done
  [ -r "/proc/$pid/cmdline" ] && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$DIR/$name.pid"
}

cmd_stop() {
  parse_dir "$@"
  [ -d "$DIR" ] || { log "nothing at $DIR"; return 0; }
  [ -f "$DIR/.kube-test-cluster" ] || die "$DIR is not a kube-test-cluster state dir; not touching it"
  stop_pid apiserver kube-apiserver
  stop_pid etcd etcd
  rm -rf "$DIR"
  log "stopped; removed $DIR"
}

# With --owner-pid: stops the control plane when that process (a test runner) dies without stopping it.
cmd_watch() {
  parse_dir "$@"
  [ -n "$OWNER_PID" ] || die "watch needs --owner-pid"
  while kill -0 "$OWNER_PID" 2>/dev/null && [ -d "$DIR" ]; do sleep 2; done
  [ -d "$DIR" ] && cmd_stop --dir "$DIR"
  return 0
}

cmd_env() {
  parse_dir "$@"
  live_pid apiserver kube-apiserver >/dev/null || die "no control plane running at $DIR: run $0 start"
  echo "export KUBECONFIG='$DIR/kubeconfig'"
  echo "export PATH='$BIN':\"\$PATH\""
}

cmd_start() {
  parse_dir "$@"
  cmd_check >/dev/null || exit 3
  if live_pid apiserver kube-apiserver >/dev/null; then log "already running at $DIR"; print_env; return 0; fi
  [ ! -e "$DIR" ] || [ -f "$DIR/.kube-test-cluster" ] || die "$DIR exists and is not a kube-test-cluster state dir"
  stop_pid apiserver kube-apiserver 2>/dev/null || true; stop_pid etcd etcd 2>/dev/null || true
  rm -rf "$DIR"; mkdir -p "$DIR/etcd" "$DIR/certs"; chmod 700 "$DIR"
  touch "$DIR/.kube-test-cluster"

  local etcd_port peer_port api_port token
  etcd_port="$(free_port)"; peer_port="$(free_port)"; api_port="$(free_port)"
  token="$(openssl rand -hex 24)"
  openssl genrsa -out "$DIR/certs/service-account.key" 2048 2>/dev/null
  echo "$token,dronetrack-test-admin,dronetrack-test-admin,system:masters" > "$DIR/tokens.csv"
  echo "https://127.0.0.1:$api_port" > "$DIR/server"

  # Flags after controller-runtime's envtest control plane.
  setsid "$BIN/etcd" --name=default --data-dir="$DIR/etcd" \
    --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
    --listen-peer-urls="http://127.0.0.1:$peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$peer_port" \
    --initial-cluster="default=http://127.0.0.1:$peer_port" --unsafe-no-fsync --log-level=warn \
    >"$DIR/etcd.log" 2>&1 </dev/null &
  echo $! > "$DIR/etcd.pid"
  local i ok=""
  for i in $(seq 1 200); do
    if [[ "$(curl -fsS "http://127.0.0.1:$etcd_port/health" 2>/dev/null)" == *'"health":"true"'* ]]; then ok=1; break; fi
    # kill -0, not live_pid: right after the fork the child may not have exec'd etcd yet.
    kill -0 "$(cat "$DIR/etcd.pid")" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$ok" ] || { tail -20 "$DIR/etcd.log" >&2; cmd_stop --dir "$DIR"; die "etcd did not become healthy"; }

  setsid "$BIN/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$etcd_port" \
    --cert-dir="$DIR/certs" --secure-port="$api_port" --bind-address=127.0.0.1 --advertise-address=127.0.0.1 \
    --service-cluster-ip-range=10.0.0.0/24 --endpoint-reconciler-type=none \
    --service-account-issuer="https://127.0.0.1:$api_port" \
    --service-account-key-file="$DIR/certs/service-account.key" \
    --service-account-signing-key-file="$DIR/certs/service-account.key" \
    --token-auth-file="$DIR/tokens.csv" --anonymous-auth=false --authorization-mode=RBAC \
    --disable-admission-plugins=ServiceAccount --allow-privileged=true --profiling=false \
    >"$DIR/apiserver.log" 2>&1 </dev/null &
  echo $! > "$DIR/apiserver.pid"

  ok=""
  for i in $(seq 1 1200); do
    if [ -s "$DIR/certs/apiserver.crt" ] && curl -fsS --cacert "$DIR/certs/apiserver.crt" \
         -H "Authorization: Bearer $token" "https://127.0.0.1:$api_port/readyz" >/dev/null 2>&1; then ok=1; break; fi
    kill -0 "$(cat "$DIR/apiserver.pid")" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$ok" ] || { tail -30 "$DIR/apiserver.log" >&2; cmd_stop --dir "$DIR"; die "kube-apiserver did not become ready"; }

  cat > "$DIR/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: kube-test-cluster
    cluster:
      server: https://127.0.0.1:$api_port
      certificate-authority: $DIR/certs/apiserver.crt
users:
  - name: admin
    user:
      token: $token
contexts:
  - name: kube-test-cluster
    context: {cluster: kube-test-cluster, user: admin}
current-context: kube-test-cluster
EOF
  chmod 600 "$DIR/kubeconfig"
  if [ -n "$OWNER_PID" ]; then
    setsid bash "$0" watch --dir "$DIR" --owner-pid "$OWNER_PID" >/dev/null 2>&1 </dev/null &
  fi
  log "kube-apiserver $KUBE_VERSION ready at https://127.0.0.1:$api_port (etcd $ETCD_VERSION); logs in $DIR"
  print_env
}

case "${1:-}" in
  build) shift; cmd_build "$@" ;;
  check) shift; cmd_check "$@" ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  watch) shift; cmd_watch "$@" ;;
  env) shift; cmd_env "$@" ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
