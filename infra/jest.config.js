module.exports = { ...require('../jest.preset')('infra') };
