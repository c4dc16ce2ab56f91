module.exports = require('../jest.preset')('frontend');
