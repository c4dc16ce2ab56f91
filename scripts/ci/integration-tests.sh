#!/usr/bin/env bash
# Usage: TEST_DATABASE_URL=mysql://user:pass@host:3306/db scripts/ci/integration-tests.sh
# Runs the backend suite against a real MySQL (the test RDS in CI), JUnit XML to reports/junit/.
set -euo pipefail
cd "$(dirname "$0")/../.."

[[ "${TEST_DATABASE_URL:-}" == mysql://* ]] || {
  echo "usage: TEST_DATABASE_URL=mysql://user:pass@host:3306/db $0" >&2
  exit 2
}
export JEST_JUNIT_OUTPUT_DIR=reports/junit JEST_JUNIT_OUTPUT_NAME=integration.xml JEST_JUNIT_ADD_FILE_ATTRIBUTE=true
npx jest --ci --selectProjects backend --runInBand --reporters=default --reporters=jest-junit "$@"
