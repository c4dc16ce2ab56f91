#!/usr/bin/env bash
# Usage: TEST_DATABASE_URL='mysql://tradepost_test:<pw>@<host>:3306/tradepost?ssl=rds' scripts/ci/integration-tests.sh
# The backend's MySQL suites against a real server (the test RDS in CI), as the user the
# URL names: exactly what applies there, the suites titled "(mysql)". The SQLite half, and
# the suites that start servers of their own, run in the unit stage (all-tests.sh).
# JUnit XML to reports/junit/; fails when no MySQL test ran.
set -euo pipefail
cd "$(dirname "$0")/../.."

[[ "${TEST_DATABASE_URL:-}" == mysql://* ]] || {
  echo "usage: TEST_DATABASE_URL='mysql://user:pass@host:3306/db?ssl=rds' $0" >&2
  exit 2
}
mkdir -p reports
export JEST_JUNIT_OUTPUT_DIR=reports/junit JEST_JUNIT_OUTPUT_NAME=integration.xml JEST_JUNIT_ADD_FILE_ATTRIBUTE=true
npx jest --ci --selectProjects backend --runInBand --testPathPattern 'backend/test/' \
  --testNamePattern '\(mysql\)' --json --outputFile=reports/integration.json \
  --reporters=default --reporters=jest-junit --reporters="$PWD/scripts/lib/test-deps-reporter.js" "$@"
node -e '
  const { numPassedTests } = require(process.argv[1]);
  if (numPassedTests === 0) {
    console.error("integration-tests.sh: no MySQL test ran");
    process.exit(1);
  }
  console.log(`integration-tests.sh: ${numPassedTests} MySQL tests passed`);
' "$PWD/reports/integration.json"
