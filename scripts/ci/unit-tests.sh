#!/usr/bin/env bash
# Usage: scripts/ci/unit-tests.sh
# Runs every jest project on the embedded SQLite database (no MySQL), writing JUnit XML to
# reports/junit/ and Cobertura coverage to coverage/. Exit code is jest's.
set -euo pipefail
cd "$(dirname "$0")/../.."

unset TEST_DATABASE_URL
export JEST_JUNIT_OUTPUT_DIR=reports/junit JEST_JUNIT_OUTPUT_NAME=unit.xml JEST_JUNIT_ADD_FILE_ATTRIBUTE=true
npx jest --ci --coverage --coverageReporters=cobertura --coverageReporters=text-summary \
  --reporters=default --reporters=jest-junit "$@"
