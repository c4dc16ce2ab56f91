module.exports = { ...require('../jest.preset')('e2e') };
