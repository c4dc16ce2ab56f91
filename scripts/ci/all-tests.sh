#!/usr/bin/env bash
# Usage: scripts/ci/all-tests.sh [JEST_ARGS...]
# Runs every jest project (unit, HTTP, e2e, faults, infra, ...) as `npm test` does, on the
# embedded SQLite database (no MySQL), writing JUnit XML to reports/junit/ and Cobertura
# coverage to coverage/. Exit code is jest's.
set -euo pipefail
cd "$(dirname "$0")/../.."

unset TEST_DATABASE_URL
export JEST_JUNIT_OUTPUT_DIR=reports/junit JEST_JUNIT_OUTPUT_NAME=all.xml JEST_JUNIT_ADD_FILE_ATTRIBUTE=true
npx jest --ci --coverage --coverageReporters=cobertura --coverageReporters=text-summary \
  --reporters=default --reporters=jest-junit "$@"
