# Sourced by scripts/test-ci.sh and .ci/run: runs each step of a long job with its output shown
# live and also kept in $STEP_LOG_DIR/NN-<name>.log. When a step fails, it prints
#   step "<name>" failed (exit N) after S s; last lines of its output (<log>):
# and the tail of that log, so the failing step is named even when its output scrolled away
# (or said nothing). `step` returns the step's exit status; the caller decides whether to stop.
STEP_LOG_DIR="${STEP_LOG_DIR:-artifacts/steps}"
STEP_TAIL_LINES="${STEP_TAIL_LINES:-40}"
STEP_COUNT=0

step() {
  local name="$1"; shift
  STEP_COUNT=$((STEP_COUNT + 1))
  mkdir -p "$STEP_LOG_DIR"
  local slug; slug="$(tr -cs 'A-Za-z0-9' '-' <<<"$name")"; slug="${slug%-}"
  local log; log="$STEP_LOG_DIR/$(printf '%02d' "$STEP_COUNT")-${slug}.log"
  local start=$SECONDS status
  echo "==> step \"$name\": $*"
  # tee reads to the end, so it never makes the command die of SIGPIPE; the command's own status
  # is PIPESTATUS[0] (not tee's).
  "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  if [ "$status" -ne 0 ]; then
    {
      echo
      echo "step \"$name\" failed (exit $status) after $((SECONDS - start)) s; last lines of its output ($log):"
      tail -n "$STEP_TAIL_LINES" "$log" | sed 's/^/  | /'
      echo
    } >&2
    return "$status"
  fi
  echo "==> step \"$name\" ok ($((SECONDS - start)) s)"
}
