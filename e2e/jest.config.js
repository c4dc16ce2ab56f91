module.exports = { ...require('../jest.preset')('e2e'), testTimeout: 120000 };
