import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machinePlatform, readImagePlatforms } from './image-platforms';

let root: string;
const write = (path: string, value: unknown) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), JSON.stringify(value));
};
const imageProject = (options: Record<string, unknown> = {}) =>
  write('docker/root/project.json', { name: 'root', targets: { 'docker-build': { executor: '@posestack/nx-docker:docker-build', options } } });
const nxJson = (pluginOptions: Record<string, unknown>) =>
  write('nx.json', { plugins: ['@nx/eslint/plugin', { plugin: '@posestack/nx-docker', options: pluginOptions }] });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'nx-docker-platforms-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('readImagePlatforms', () => {
  it('follows the build: the project option, else NX_DOCKER_PLATFORMS over nx.json, else none', () => {
    nxJson({ platforms: ['linux/amd64', 'linux/arm64'] });
    imageProject();
    expect(readImagePlatforms(root, 'docker/root', {})).toEqual(['linux/amd64', 'linux/arm64']);
    expect(readImagePlatforms(root, 'docker/root', { NX_DOCKER_PLATFORMS: 'linux/arm64' })).toEqual(['linux/arm64']);
    expect(readImagePlatforms(root, 'docker/root', { NX_DOCKER_PLATFORMS: '' })).toEqual([]);
    imageProject({ platforms: ['linux/amd64'] });
    expect(readImagePlatforms(root, 'docker/root', { NX_DOCKER_PLATFORMS: 'linux/arm64' })).toEqual(['linux/amd64']);
    nxJson({});
    imageProject();
    expect(readImagePlatforms(root, 'docker/root', {})).toEqual([]);
  });

  it('names what is wrong: no project.json, a bad variable', () => {
    nxJson({});
    expect(() => readImagePlatforms(root, 'docker/none', {})).toThrow(/no project\.json in "docker\/none"/);
    imageProject();
    expect(() => readImagePlatforms(root, 'docker/root', { NX_DOCKER_PLATFORMS: 'arm64' })).toThrow(/NX_DOCKER_PLATFORMS "arm64"/);
  });
});

it('names this machine as Docker names platforms', () => {
  expect(machinePlatform('x64')).toBe('linux/amd64');
  expect(machinePlatform('arm64')).toBe('linux/arm64');
});
