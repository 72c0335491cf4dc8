#!/usr/bin/env bash
# Installs what the test suites start or drive: redis-server and chromium (Debian), FerretDB (built from Go modules).
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
