/**
 * One jest run over every folder that has a jest.config.js one level down
 * (backend, frontend, nginx, k8s, infra, …), so `npm test` ends with one summary.
 * @type {import('jest').Config}
 */
module.exports = {
  projects: ['<rootDir>/*/jest.config.js'],
  // A banner at the top and bottom of the run when suites were skipped for want of a
  // system program (scripts/lib/test-deps.js).
  reporters: ['default', '<rootDir>/scripts/lib/test-deps-reporter.js'],
  // Global in jest 29 (not per project). Suites that need longer set it per test.
  testTimeout: 30000,
};
