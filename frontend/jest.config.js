const preset = require('../jest.preset')('frontend');

// preact 11 ships ES modules only: Node ≥ 20.19 requires them natively, jest on
// Node 20 does not, so its .mjs files go through the same transform as ours.
const [transpile] = Object.values(preset.transform);

module.exports = {
  ...preset,
  transform: { ...preset.transform, '^.+/node_modules/preact[^/]*/.+\\.m?js$': transpile },
  transformIgnorePatterns: ['/node_modules/(?!preact)'],
};
