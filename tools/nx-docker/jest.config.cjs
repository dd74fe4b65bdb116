// CommonJS config: a .ts config would need ts-node, which the workspace does not install.
module.exports = {
  displayName: 'nx-docker',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  coverageDirectory: '../../coverage/tools/nx-docker',
  // The integration suite drives the real nx CLI and Docker engine; builds are ~1 s each but nx start-up is not.
  testTimeout: 120000,
};
