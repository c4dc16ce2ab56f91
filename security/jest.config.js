module.exports = { ...require('../jest.preset')('security') };
