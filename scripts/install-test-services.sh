#!/usr/bin/env bash
# Installs what the test suites start or drive: redis-server and chromium (Debian), FerretDB and
# kube-apiserver/etcd/kubectl (built from Go modules), schemathesis (PyPI, in a venv).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
need=()
command -v redis-server >/dev/null || need+=(redis-server)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
bash "$here/install-ferretdb.sh"
bash "$here/kube-test-cluster.sh" build
# schemathesis (PyPI) fuzzes the OpenAPI document: no input may produce a 5xx.
CACHE="${DRONETRACK_CACHE:-$HOME/.cache/dronetrack}"
if [ ! -x "$CACHE/venv/bin/st" ]; then
  python3 -m venv "$CACHE/venv"
  "$CACHE/venv/bin/pip" install --quiet --disable-pip-version-check 'schemathesis==4.32.5'
fi
