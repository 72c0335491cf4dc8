#!/usr/bin/env bash
# Builds FerretDB (MongoDB wire protocol; the tests run it on PostgreSQL) once and caches the binary.
# `go install …@v1.24.2` alone yields a binary that panics: the module zip lacks
# build/version/version.txt, so we build from a copy of the module source with it added.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
VERSION="${FERRETDB_VERSION:-v1.24.2}"
CACHE="${DRONETRACK_CACHE:-$HOME/.cache/dronetrack}"
BIN="$CACHE/bin/ferretdb"
# Output captured first, never piped into grep -q/head: see the pipefail note in kube-test-cluster.sh.
if [ -x "$BIN" ] && [[ "$("$BIN" --version 2>/dev/null)" == *"${VERSION#v}"* ]]; then
  echo "ferretdb $VERSION already at $BIN"; exit 0
fi
command -v go >/dev/null || { echo "install-ferretdb: Go is required" >&2; exit 1; }
source "$here/lib/go-env.sh"
mkdir -p "$CACHE/bin"
echo "install-ferretdb: downloading github.com/FerretDB/FerretDB@$VERSION"
# -json reports a failure (e.g. an unknown version) on stdout: keep it to show it.
if ! json="$(GOFLAGS="$GOFLAGS -mod=mod" go mod download -json "github.com/FerretDB/FerretDB@$VERSION")"; then
  echo "$json" >&2
  echo "install-ferretdb: could not download FerretDB $VERSION (FERRETDB_VERSION pins it)" >&2; exit 1
fi
SRC="$(sed -n 's/.*"Dir": "\(.*\)".*/\1/p' <<<"$json")"
[ -n "$SRC" ] && [ -d "$SRC" ] || { echo "$json" >&2; echo "install-ferretdb: no module source for FerretDB $VERSION" >&2; exit 1; }
WORK="$CACHE/ferretdb-src-$VERSION"
rm -rf "$WORK"; cp -r "$SRC" "$WORK"; chmod -R u+w "$WORK"
echo "$VERSION" > "$WORK/build/version/version.txt"
echo "install-ferretdb: building $VERSION into $BIN"
(cd "$WORK" && CGO_ENABLED=0 go build -trimpath -o "$BIN" ./cmd/ferretdb)
rm -rf "$WORK"
version="$("$BIN" --version)"
echo "${version%%$'\n'*}"
