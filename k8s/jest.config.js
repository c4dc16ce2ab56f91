module.exports = { ...require('../jest.preset')('k8s') };
