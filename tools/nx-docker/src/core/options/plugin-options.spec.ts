import { join, resolve } from 'node:path';
import { findOwnPluginOptions, isOwnPluginEntry, parsePluginOptions } from './plugin-options';

// This package is tools/nx-docker; the workspace root is two folders above it.
const workspaceRoot = resolve(__dirname, '..', '..', '..', '..', '..');

describe('isOwnPluginEntry', () => {
  it.each([
    ['./tools/nx-docker', true],
    ['tools/nx-docker/src/index.ts'.replace(/^/, './'), true],
    [join(workspaceRoot, 'tools', 'nx-docker'), true],
    ['@posestack/nx-docker', true],
    ['./tools/nx-docker-extra', false],
    ['@nx/docker', false],
    ['nx-docker', false],
  ])('%s -> %s', (plugin, expected) => expect(isOwnPluginEntry({ plugin }, workspaceRoot)).toBe(expected));
});

it('finds its own options among other plugins, and defaults without an entry', () => {
  const plugins = ['@nx/eslint/plugin', { plugin: '@nx/docker', options: { imageNamePrefix: 'other' } }, { plugin: './tools/nx-docker', options: { imageNamePrefix: 'mine' } }];
  expect(findOwnPluginOptions(plugins, workspaceRoot).imageNamePrefix).toBe('mine');
  expect(findOwnPluginOptions([], workspaceRoot).imageNamePrefix).toBe('posestack');
});

it('names the nx.json option that is wrong', () => {
  expect(() => parsePluginOptions({ imageSource: 'offline', extra: 1 })).toThrow(/nx\.json[\s\S]*extra[\s\S]*imageSource/);
});
