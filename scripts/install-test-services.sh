#!/usr/bin/env bash
# Installs what the test suites start or drive. Each part can run alone (scripts/test-ci.sh runs
# them as separate steps, so a failure names its part):
#
#   install-test-services.sh [all]   everything below, in this order
#   install-test-services.sh apt     redis-server, chromium and postgresql-15 from Debian (when missing)
#   install-test-services.sh ferretdb   FerretDB, built from Go modules (scripts/install-ferretdb.sh)
#   install-test-services.sh kube    etcd, kube-apiserver, kubectl built from Go modules (kube-test-cluster.sh)
#   install-test-services.sh venv    Python venv: schemathesis (fuzzes the OpenAPI document) and
#                                    SecantusDB (a second MongoDB-wire test server; GPL-2.0, never shipped)
#
# Everything built or downloaded lives under ${DRONETRACK_CACHE:-~/.cache/dronetrack}.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
CACHE="${DRONETRACK_CACHE:-$HOME/.cache/dronetrack}"
PG_MAJOR=15
# Pins of the venv; a change reinstalls it.
PY_PINS=('schemathesis==4.32.5' 'SecantusDB==0.7.0b3')

install_apt() {
  local need=()
  command -v redis-server >/dev/null || need+=(redis-server)
  [ -x /usr/bin/chromium ] || need+=(chromium)
  # FerretDB's backend in the tests; its initdb/pg_ctl run as the postgres user the package creates.
  [ -x "/usr/lib/postgresql/$PG_MAJOR/bin/initdb" ] || need+=("postgresql-$PG_MAJOR")
  if [ ${#need[@]} -eq 0 ]; then echo "apt: redis-server, chromium, postgresql-$PG_MAJOR already installed"; return 0; fi
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "apt: installing ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

install_venv() {
  local venv="$CACHE/venv" want; want="$(printf '%s\n' "${PY_PINS[@]}")"
  if [ -x "$venv/bin/st" ] && [ -x "$venv/bin/secantusd-py" ] && [ "$(cat "$venv/.pins" 2>/dev/null)" = "$want" ]; then
    echo "venv: ${PY_PINS[*]} already in $venv"; return 0
  fi
  command -v python3 >/dev/null || { echo "install-test-services: python3 is required for the venv" >&2; return 1; }
  echo "venv: installing ${PY_PINS[*]} into $venv"
  [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${PY_PINS[@]}"
  echo "$want" > "$venv/.pins"
}

case "${1:-all}" in
  apt) install_apt ;;
  ferretdb) bash "$here/install-ferretdb.sh" ;;
  kube) bash "$here/kube-test-cluster.sh" build ;;
  venv) install_venv ;;
  all) install_apt; bash "$here/install-ferretdb.sh"; bash "$here/kube-test-cluster.sh" build; install_venv ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
