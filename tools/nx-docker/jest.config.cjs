// CommonJS config: a .ts config would need ts-node, which the workspace does not install.
const esmPackages = [
  'execa',
  '@sindresorhus/merge-streams',
  'figures',
  'get-stream',
  '@sec-ant/readable-stream',
  'human-signals',
  'is-plain-obj',
  'is-stream',
  'is-unicode-supported',
  'npm-run-path',
  'path-key',
  'parse-ms',
  'pretty-ms',
  'strip-final-newline',
  'unicorn-magic',
  'yoctocolors',
];

module.exports = {
  displayName: 'nx-docker',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
    // execa 9 and its dependencies are ESM-only and Jest on Node 20 cannot require(esm): compile just them.
    '^.+\\.js$': ['babel-jest', { babelrc: false, configFile: false, plugins: ['@babel/plugin-transform-export-namespace-from', '@babel/plugin-transform-modules-commonjs'] }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  // unicorn-magic only exports an "import" condition, which Jest's CommonJS resolver does not try.
  moduleNameMapper: { '^unicorn-magic$': '<rootDir>/../../node_modules/unicorn-magic/node.js' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  coverageDirectory: '../../coverage/tools/nx-docker',
  // The integration suite drives the real nx CLI and Docker engine; builds are ~1 s each but nx start-up is not.
  testTimeout: 120000,
};
