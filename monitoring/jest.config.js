module.exports = { ...require('../jest.preset')('monitoring') };
