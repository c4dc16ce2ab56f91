module.exports = {
  ...require('../jest.preset')('security'),
  // The app-level attacks run on both dialects: the backend suite's MySQL server.
  globalSetup: '<rootDir>/../backend/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/../backend/test/support/global-teardown.ts',
};
