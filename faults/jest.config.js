module.exports = { ...require('../jest.preset')('faults'), testTimeout: 180000 };
