# Sourced by the scripts that build Go programs (install-ferretdb.sh, kube-test-cluster.sh).
# Their module and build caches live under DRONETRACK_CACHE, not ~/go and ~/.cache/go-build: an
# empty DRONETRACK_CACHE then really is a cold build, and deleting it removes everything the
# tests installed. -modcacherw keeps module files writable, so a plain `rm -rf` can delete them.
# GOMODCACHE/GOCACHE set in the environment still win (e.g. to share a warm Go cache on purpose).
DRONETRACK_GO_CACHE="${DRONETRACK_CACHE:-$HOME/.cache/dronetrack}/go"
export GOMODCACHE="${GOMODCACHE:-$DRONETRACK_GO_CACHE/mod}"
export GOCACHE="${GOCACHE:-$DRONETRACK_GO_CACHE/build}"
case " ${GOFLAGS:-} " in *" -modcacherw "*) ;; *) export GOFLAGS="-modcacherw${GOFLAGS:+ $GOFLAGS}" ;; esac
