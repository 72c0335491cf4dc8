#!/usr/bin/env bash
# Builds FerretDB (MongoDB wire protocol on SQLite) once and caches the binary.
# `go install …@v1.24.2` alone yields a binary that panics: the module zip lacks
# build/version/version.txt, so we build from a copy of the module source with it added.
set -euo pipefail
VERSION="${FERRETDB_VERSION:-v1.24.2}"
CACHE="${DRONETRACK_CACHE:-$HOME/.cache/dronetrack}"
BIN="$CACHE/bin/ferretdb"
if [ -x "$BIN" ] && "$BIN" --version 2>/dev/null | grep -q "${VERSION#v}"; then
  echo "ferretdb $VERSION already at $BIN"; exit 0
fi
command -v go >/dev/null || { echo "install-ferretdb: Go is required" >&2; exit 1; }
mkdir -p "$CACHE/bin"
SRC=$(GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
WORK="$CACHE/ferretdb-src-$VERSION"
rm -rf "$WORK"; cp -r "$SRC" "$WORK"; chmod -R u+w "$WORK"
echo "$VERSION" > "$WORK/build/version/version.txt"
(cd "$WORK" && CGO_ENABLED=0 go build -trimpath -o "$BIN" ./cmd/ferretdb)
rm -rf "$WORK"
"$BIN" --version | head -3
