import { findRequestedTargets, mayRunTargetsOf } from './requested-targets';

const nx = (...args: string[]) => ['/usr/bin/node', '/w/node_modules/.bin/nx', ...args];

describe('findRequestedTargets', () => {
  it.each([
    [nx('run-many', '-t', 'lint', 'test', 'e2e', '--parallel=2'), ['lint', 'test', 'e2e']],
    [nx('affected', '--targets=lint,docker-build'), ['lint', 'docker-build']],
    [nx('run', 'backend-api:docker-build:ci'), ['docker-build']],
    [nx('backend-api:test'), ['test']],
    [nx('e2e', 'stack-e2e'), ['e2e']],
    [nx('show', 'projects'), []],
    [nx('exec', '--', 'echo'), undefined],
    [nx('run-many'), undefined],
    [['/usr/bin/node', '/w/node_modules/nx/dist/bin/nx.js', 'lint', 'api'], ['lint']],
  ])('%j', (argv, expected) => expect(findRequestedTargets(argv)).toEqual(expected));
});

describe('mayRunTargetsOf', () => {
  const projects = {
    api: { targets: { lint: {}, test: { dependsOn: ['^build'] }, build: {}, image: { executor: 'x:docker-build', dependsOn: ['^image'] } } },
    e2e: { targets: { e2e: { dependsOn: [{ target: 'image', projects: ['api'] }] } } },
  };
  it('is false only when neither the requested targets nor what they depend on use the executor', () => {
    expect(mayRunTargetsOf(nx('run-many', '-t', 'lint', 'test'), projects, 'x:docker-build')).toBe(false);
    expect(mayRunTargetsOf(nx('e2e', 'e2e'), projects, 'x:docker-build')).toBe(true);
    expect(mayRunTargetsOf(nx('run', 'api:image'), projects, 'x:docker-build')).toBe(true);
    expect(mayRunTargetsOf(nx('exec', '--', 'true'), projects, 'x:docker-build')).toBe(true);
  });
});
