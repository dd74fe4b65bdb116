// CommonJS config: a .ts config would need ts-node, which the workspace does not install.
// The specs start real child processes (`node -e`), so they get more time than the default 5 s.
module.exports = {
  displayName: 'test-stack',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  coverageDirectory: '../../coverage/libs/test-stack',
  testTimeout: 20_000,
};
