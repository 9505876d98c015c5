#!/usr/bin/env bash
# The reliability gate (issue 8): everything .ci/run runs after `npm ci`, and what `npm run ci:gates` runs
# locally. Each gate is a step; a failing step fails the run but the others still run. The mocha runs
# (all tests under c8, the contract tests under solidity-coverage) are counted, and the last line is
# "N passed, N failed". docs/testing.md explains each gate.
set -uo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# .ci/run passes the status of its install steps so that the closing line counts them.
status=${CI_PRIOR_STATUS:-0}
timings=()

record() { timings+=("$(printf '%5ds  %s' "$1" "$2")"); }

step() {
  local start=$SECONDS
  echo "::: $*"
  "$@" || { echo "::: FAILED: $*"; status=1; }
  record $((SECONDS - start)) "$*"
}

# A step whose mocha output counts towards the closing line.
counted() {
  local start=$SECONDS
  echo "::: $*"
  "$@" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "::: FAILED: $*"; status=1; }
  record $((SECONDS - start)) "$*"
}

step npm run build
step npm run lint                  # solhint and eslint with zero warnings, tsc --noEmit
step npm run check:sizes           # every deployable contract under 24,576 bytes
step npm run check:access          # every state-changing function restricted and refused, or open with a reason
step npm run load:ci               # the local stack under 30 s of load, 50 connections: no error, no 5xx
counted npx c8 npm test            # the README's test command, every test, under c8 (seeds fixed)
step npm run coverage:gateway      # c8: >= 85% of lines of server/ and scripts/
# Last: solidity-coverage leaves instrumented artifacts behind (the next build recompiles).
counted npm run coverage:sol       # the contract tests under solidity-coverage
step npm run coverage:sol:check    # >= 95% lines, >= 90% branches of contracts/ (contracts/test/ excluded)

echo "::: wall time per step"
printf '%s\n' "${timings[@]}"

passed=$(grep -Eo '^\s*[0-9]+ passing' "$log" | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '^\s*[0-9]+ failing' "$log" | awk '{s+=$1} END {print s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
