// CommonJS config: a .ts config would need ts-node, which the workspace does not install.
module.exports = {
  displayName: 'frontend',
  preset: '../../jest.preset.js',
  // The specs cover pure maths and the fetch client; Node 20 has fetch, FormData and File, so no jsdom.
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  // The browser test has its own runner (`nx e2e frontend`) and never runs with the unit tests.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/e2e/'],
  coverageDirectory: '../../coverage/apps/frontend',
};
