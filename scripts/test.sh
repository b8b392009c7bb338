#!/usr/bin/env bash
# Runs every test. Sets up what the tests need first: PostgreSQL with the cluster schema (installed and
# started when absent) and Debian's Chromium for the page tests (installed when absent). Ends with one line
# "N passed, N failed"; exits non-zero when anything failed.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

echo "== PostgreSQL"
if ! bash scripts/setup-postgres.sh; then
  echo "PostgreSQL could not be set up; the tests that need it cannot run."
  echo "0 passed, 1 failed"
  exit 1
fi

echo "== Chromium (for the page tests of tests/EndToEnd.Tests)"
if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  if [ "$(id -u)" -eq 0 ] && apt-get update -q > /dev/null && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium > /dev/null; then
    echo "installed Debian's chromium"
  else
    echo "Chromium could not be installed (apt-get install chromium, as root); the page tests will fail saying so."
  fi
fi

export ConnectionStrings__OrleansTests="${ConnectionStrings__OrleansTests:-Host=127.0.0.1;Port=5432;Database=${ORLEANS_DB:-orleans};Username=${ORLEANS_DB_USER:-orleans};Password=${ORLEANS_DB_PASSWORD:-orleans}}"

echo "== Build"
if ! dotnet build Dagen.Orleans.sln -c Release -nologo -v quiet; then
  echo "The build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

echo "== Tests"
dotnet test Dagen.Orleans.sln -c Release --no-build -nologo \
  --logger "trx;LogFilePrefix=results" --results-directory "$results" "$@"
status=$?

# Count outcomes from the TRX files, one per test project.
passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  p=$(grep -oE '<UnitTestResult [^>]*outcome="Passed"' "$trx" | wc -l)
  f=$(grep -oE '<UnitTestResult [^>]*outcome="Failed"' "$trx" | wc -l)
  passed=$((passed + p))
  failed=$((failed + f))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The runner failed without a failed test (a crash, a fixture that did not start): count it.
  failed=1
fi

echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
