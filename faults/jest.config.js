module.exports = { ...require('../jest.preset')('faults') };
