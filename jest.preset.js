const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  reporters: ['default', require.resolve('./tools/jest/results-file-reporter.cjs')],
};
