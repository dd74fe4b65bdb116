// CommonJS config: a .ts config would need ts-node, which the workspace does not install.
// The integration suite runs the real nx CLI (a few seconds per run) against the real server process.
module.exports = {
  displayName: 'nx-cache-server',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  // light-my-request (inject) pulls cookie, which ships ESM only (as in apps/backend-api).
  transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/tests/**/*.spec.ts'],
  coverageDirectory: '../../coverage/tools/nx-cache-server',
  testTimeout: 120_000,
};
