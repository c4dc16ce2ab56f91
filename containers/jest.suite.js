/**
 * The container suite (`npm run test:containers`, containers/README.md). Not named
 * jest.config.js on purpose: plain `npm test` runs every <folder>/jest.config.js, and
 * this suite needs root, podman, several GB of disk and minutes.
 * @type {import('jest').Config}
 */
module.exports = {
  ...require('../jest.preset')('containers'),
  testTimeout: 300_000,
  // One engine, one topology at a time.
  maxWorkers: 1,
};
