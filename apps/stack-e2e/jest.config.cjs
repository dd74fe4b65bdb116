// The stack suite: brings the composed stack up once (global setup), or targets one already running when the
// URLs are given by env (see src/support/stack-env.ts), and tears it down at the end.
// CommonJS config: a .ts config would need ts-node, which the workspace does not install.
module.exports = {
  displayName: 'stack-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/stack/**/*.e2e.ts', '<rootDir>/src/images/**/*.e2e.ts'],
  globalSetup: '<rootDir>/src/support/global-setup.ts',
  globalTeardown: '<rootDir>/src/support/global-teardown.ts',
  // Image analysis on CPU and stack start-up are slow by nature; each wait below has its own deadline.
  testTimeout: 180_000,
};
