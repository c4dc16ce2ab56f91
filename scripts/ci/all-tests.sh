#!/usr/bin/env bash
# Usage: scripts/ci/all-tests.sh [JEST_ARGS...]
# Runs every jest project (unit, HTTP, e2e, faults, infra, ...) as `npm test` does, after
# the Build stage's `npm run build`. TEST_DATABASE_URL is unset, so the backend suites run on
# SQLite and on a private MariaDB their global setup starts (TLS required, as the documented
# test user), restart and TLS suites included; never on an outside database (the integration
# stage, integration-tests.sh, runs the MySQL suites against the test RDS). Writes JUnit XML
# to reports/junit/ and Cobertura coverage to coverage/. Exit code is jest's.
set -euo pipefail
cd "$(dirname "$0")/../.."

unset TEST_DATABASE_URL
export JEST_JUNIT_OUTPUT_DIR=reports/junit JEST_JUNIT_OUTPUT_NAME=all.xml JEST_JUNIT_ADD_FILE_ATTRIBUTE=true
npx jest --ci --coverage --coverageReporters=cobertura --coverageReporters=text-summary \
  --reporters=default --reporters=jest-junit --reporters="$PWD/scripts/lib/test-deps-reporter.js" "$@"
