// CommonJS config: a .ts config would need ts-node, which the workspace does not install.
// One run holds the unit specs (src/**) and the integration suites (tests/**); the integration suites start a
// real FerretDB and pose-service once per file, so they run in band to stay within a 2-core budget.
module.exports = {
  displayName: 'backend-api',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  // light-my-request (inject) pulls cookie, which ships ESM only. Node 20.19+ loads it through require(esm);
  // Jest's CommonJS runtime cannot, so ts-jest compiles it (as in apps/frontend).
  transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/tests/**/*.spec.ts'],
  coverageDirectory: '../../coverage/apps/backend-api',
  testTimeout: 60_000,
};
