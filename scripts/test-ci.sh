#!/usr/bin/env bash
# `npm run test:ci`: installs and builds what the suites need, builds the app, runs every suite with
# DRONETRACK_REQUIRE_SERVICES=1 (a missing server fails instead of skipping), and prints the
# summary. Each part is a named step (scripts/lib/steps.sh): on failure the step's name, exit
# status and last output lines are printed; full logs are in artifacts/steps/.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/steps.sh
rm -rf artifacts/steps artifacts/jest-results.json
mkdir -p artifacts
started=$SECONDS

run() { step "$@" || { echo "test:ci stopped at step \"$1\" after $((SECONDS - started)) s" >&2; exit 1; }; }

# Cheap checks first: module boundaries (dependency-cruiser), ESLint, Prettier, the web type-check.
run "lint (dependency rules, eslint, prettier, tsc -p web)" npm run lint --silent
run "install apt packages (redis-server, chromium, postgresql-15)" bash scripts/install-test-services.sh apt
run "build FerretDB" bash scripts/install-test-services.sh ferretdb
run "build kube-apiserver, etcd, kubectl" bash scripts/install-test-services.sh kube
run "install Python venv (schemathesis, SecantusDB)" bash scripts/install-test-services.sh venv
run "build the app and the web app" npm run build
step "jest" env DRONETRACK_REQUIRE_SERVICES=1 npm test -- --json --outputFile=artifacts/jest-results.json
jest=$?
echo "test:ci took $((SECONDS - started)) s"
# Last, so its plain "tests: N passed, N failed, N skipped" closes the output. It exits non-zero
# when a test skipped or the MongoDB suites did not run on every server (in CI).
node scripts/test-summary.mjs artifacts/jest-results.json
summary=$?
[ "$jest" -eq 0 ] && [ "$summary" -eq 0 ]
