module.exports = { ...require('../jest.preset')('nginx') };
