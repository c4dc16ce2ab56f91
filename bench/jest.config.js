const preset = require('../jest.preset')('bench');

module.exports = {
  ...preset,
  transform: { ...preset.transform, '^.+\\.mjs$': '<rootDir>/test/mjs-transform.js' },
  moduleFileExtensions: [...preset.moduleFileExtensions, 'mjs'],
};
