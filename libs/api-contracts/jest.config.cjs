// CommonJS config: a .ts config would need ts-node, which the workspace does not install.
module.exports = {
  displayName: 'api-contracts',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  coverageDirectory: '../../coverage/libs/api-contracts',
};
