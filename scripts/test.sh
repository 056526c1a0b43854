#!/usr/bin/env bash
# The whole suite: lint, then unit and integration tests on the optimised
# build, then the same tests again under AddressSanitizer and
# UndefinedBehaviorSanitizer. Every test binary speaks TAP (cmocka's
# CMOCKA_MESSAGE_OUTPUT=TAP); this script counts the results and ends with
# the line "N passed, N failed". Exit status is 0 only when nothing failed.
#
# Environment: TEST_FILTER=regex runs only matching binaries;
# TEST_SKIP_ASAN=1 skips the sanitizer pass (for quick local runs).
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
failures=()
JOBS=$(nproc 2>/dev/null || echo 2)
export CMOCKA_MESSAGE_OUTPUT=TAP
export MUSTACHE_SPEC_DIR="${MUSTACHE_SPEC_DIR:-$(pwd)/../shared/peer/mustache-spec}"
if [ ! -d "$MUSTACHE_SPEC_DIR" ]; then
  MUSTACHE_SPEC_DIR="$(pwd)/tests/mustache-spec"
fi

# The database-facing tests run a second time on PostgreSQL, in a throw-away
# cluster on a loopback port that this script starts and stops.
PG_TESTS='^(test_db|test_blob|it_)'
PG_DIR=$(mktemp -d /tmp/motcua-pg.XXXXXX)
cleanup() { scripts/pg-cluster.sh stop "$PG_DIR" >/dev/null 2>&1 || true; rm -rf "$PG_DIR"; }
trap cleanup EXIT
if MOTCUA_TEST_PG=$(scripts/pg-cluster.sh start "$PG_DIR" 2>/tmp/motcua-pg-start.log); then
  export MOTCUA_TEST_PG MOTCUA_TEST_PG_DIR=$PG_DIR
  echo "== PostgreSQL test cluster at $MOTCUA_TEST_PG"
else
  cat /tmp/motcua-pg-start.log
  MOTCUA_TEST_PG=""
fi

count() { # $1 = label, $2 = TAP output file, $3 = exit status
  local label=$1 out=$2 rc=$3 ok notok
  ok=$(grep -cE '^ok ' "$out")
  notok=$(grep -cE '^not ok ' "$out")
  passed=$((passed + ok))
  failed=$((failed + notok))
  if [ "$notok" -gt 0 ]; then
    while IFS= read -r line; do failures+=("$label: $line"); done < <(grep -E '^not ok ' "$out")
  fi
  # A crash or a sanitizer report ends a binary early: count it as a failure
  # even when every test it reached had passed.
  if [ "$rc" -ne 0 ] && [ "$notok" -eq 0 ]; then
    failed=$((failed + 1))
    failures+=("$label: exited with status $rc")
  fi
}

run_suite() { # $1 = build dir, $2 = backend (sqlite or postgres)
  local b=$1 backend=$2 t name out rc
  for t in "$b"/tests/test_* "$b"/tests/it_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    if [ -n "${TEST_FILTER:-}" ] && ! [[ $name =~ $TEST_FILTER ]]; then continue; fi
    if [ "$backend" = postgres ] && ! [[ $name =~ $PG_TESTS ]]; then continue; fi
    # it_pg_* need several nodes on one database: PostgreSQL only.
    if [ "$backend" = sqlite ] && [[ $name =~ ^it_pg_ ]]; then continue; fi
    out=$(mktemp)
    echo "== $b/$name [$backend]"
    MOTCUA_TEST_BACKEND=$backend MOTCUA_BIN="$(pwd)/$b/motcua" timeout 600 "$t" >"$out" 2>&1
    rc=$?
    grep -E '^(ok|not ok|#)' "$out" | sed 's/^/   /'
    if [ $rc -ne 0 ]; then
      grep -vE '^(ok|not ok|#|1\.\.)' "$out" | tail -n 40 | sed 's/^/   | /'
    fi
    count "$b/$name [$backend]" "$out" $rc
    rm -f "$out"
  done
}

echo "== lint"
if scripts/lint.sh; then
  passed=$((passed + 1)); echo "   ok lint"
else
  failed=$((failed + 1)); failures+=("lint"); echo "   not ok lint"
fi

run_backends() { # $1 = build dir
  run_suite "$1" sqlite
  if [ -n "$MOTCUA_TEST_PG" ]; then
    run_suite "$1" postgres
  else
    failed=$((failed + 1)); failures+=("PostgreSQL test cluster did not start")
  fi
}

# Pages in a real browser: axe-core (WCAG 2.1 AA) and a person's checks.
run_browser() {
  local out rc
  if [ -n "${TEST_FILTER:-}" ] && ! [[ browser =~ $TEST_FILTER ]]; then return; fi
  echo "== browser (chromium, axe-core)"
  out=$(mktemp)
  MOTCUA_BIN="$(pwd)/build/motcua" timeout 1500 node tests/browser/run.mjs >"$out" 2>&1
  rc=$?
  grep -E '^(ok|not ok|#)' "$out" | sed 's/^/   /'
  [ $rc -ne 0 ] && grep -vE '^(ok|not ok|#|1\.\.)' "$out" | tail -n 20 | sed 's/^/   | /'
  count browser "$out" $rc
  rm -f "$out"
}

# docs/openapi.yaml through Redocly CLI's recommended rules (tests/openapi):
# one pass or fail, like the browser step.
run_openapi_lint() {
  local out rc
  if [ -n "${TEST_FILTER:-}" ] && ! [[ openapi_lint =~ $TEST_FILTER ]]; then return; fi
  echo "== openapi lint (redocly)"
  out=$(mktemp)
  (cd tests/openapi && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
    timeout 300 node_modules/.bin/redocly lint --format=stylish ../../docs/openapi.yaml) >"$out" 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then
    passed=$((passed + 1)); echo "   ok openapi lint"
  else
    grep -vE '[║╔╚]' "$out" | tail -n 30 | sed 's/^/   | /'
    failed=$((failed + 1)); failures+=("openapi lint"); echo "   not ok openapi lint"
  fi
  rm -f "$out"
}

if make -j"$JOBS" test-build >/tmp/motcua-build.log 2>&1; then
  run_backends build
  run_browser
  run_openapi_lint
else
  tail -n 40 /tmp/motcua-build.log
  failed=$((failed + 1)); failures+=("build failed")
fi

if [ -z "${TEST_SKIP_ASAN:-}" ]; then
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  if make -j"$JOBS" SAN=1 test-build >/tmp/motcua-build-asan.log 2>&1; then
    run_backends build-asan
  else
    tail -n 40 /tmp/motcua-build-asan.log
    failed=$((failed + 1)); failures+=("sanitizer build failed")
  fi
fi

if [ ${#failures[@]} -gt 0 ]; then
  echo
  echo "Failures:"
  printf '  %s\n' "${failures[@]}"
fi
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
