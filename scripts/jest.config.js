module.exports = require('../jest.preset')('scripts');
