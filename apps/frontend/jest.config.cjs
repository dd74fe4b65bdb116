// CommonJS config: a .ts config would need ts-node, which the workspace does not install.
module.exports = {
  displayName: 'frontend',
  preset: '../../jest.preset.js',
  // The specs cover pure maths and the fetch client; Node 20 has fetch, FormData and File, so no jsdom.
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]sx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  // @fastify/static and light-my-request (inject) pull content-disposition and cookie, which ship ESM only.
  // Node 20.19+ loads them through require(esm); Jest's CommonJS runtime cannot, so ts-jest compiles them.
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|cookie)/)'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  // The browser test has its own runner (`nx e2e frontend`) and never runs with the unit tests.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/e2e/'],
  coverageDirectory: '../../coverage/apps/frontend',
};
