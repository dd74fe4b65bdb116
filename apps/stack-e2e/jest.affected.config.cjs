// The affected-logic proof: `nx show projects --affected` in a throw-away clone of this repository.
// CommonJS config: a .ts config would need ts-node, which the workspace does not install.
module.exports = {
  displayName: 'stack-e2e:affected',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/affected/**/*.spec.ts', '<rootDir>/src/support/**/*.spec.ts', '<rootDir>/src/images/**/*.spec.ts'],
  // Each scenario computes a fresh project graph (plugins included) in the clone: tens of seconds.
  testTimeout: 300_000,
};
