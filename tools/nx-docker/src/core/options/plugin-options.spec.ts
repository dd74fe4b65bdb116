import { join, resolve } from 'node:path';
import { findOwnPluginOptions, isOwnPluginEntry, parsePluginOptions, resolveCacheRegistry, resolveDefaultAttestations, resolveDefaultPlatforms } from './plugin-options';

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

describe('resolveDefaultPlatforms', () => {
  const plugin = parsePluginOptions({ platforms: ['linux/amd64', 'linux/arm64'] });
  it('takes NX_DOCKER_PLATFORMS over nx.json, and "" for the engine platform', () => {
    expect(resolveDefaultPlatforms(plugin, {})).toEqual(['linux/amd64', 'linux/arm64']);
    expect(resolveDefaultPlatforms(plugin, { NX_DOCKER_PLATFORMS: ' linux/arm64 ,linux/arm64' })).toEqual(['linux/arm64']);
    expect(resolveDefaultPlatforms(plugin, { NX_DOCKER_PLATFORMS: '' })).toEqual([]);
  });
  it('names the variable and the bad value', () => {
    expect(() => resolveDefaultPlatforms(plugin, { NX_DOCKER_PLATFORMS: 'linux/amd64,arm64' })).toThrow(/NX_DOCKER_PLATFORMS "linux\/amd64,arm64": arm64 is not os\/arch/);
    expect(() => parsePluginOptions({ platforms: ['x86'] })).toThrow(/expected os\/arch[\s\S]*platforms\[0\]/);
  });
});

describe('resolveCacheRegistry', () => {
  const plugin = parsePluginOptions({ cacheRegistry: 'http://127.0.0.1:5000/cache' });
  it('takes nx.json, NX_DOCKER_CACHE_REGISTRY over it, and "off" to turn it off', () => {
    expect(resolveCacheRegistry(plugin, {})?.refPrefix).toBe('127.0.0.1:5000/cache');
    expect(resolveCacheRegistry(plugin, { NX_DOCKER_CACHE_REGISTRY: 'ghcr.io/acme/c' })?.baseUrl).toBe('https://ghcr.io');
    expect(resolveCacheRegistry(plugin, { NX_DOCKER_CACHE_REGISTRY: 'off' })).toBeUndefined();
    expect(resolveCacheRegistry(parsePluginOptions({}), {})).toBeUndefined();
  });
  it('names the env variable when its value is not a registry', () => {
    expect(() => resolveCacheRegistry(plugin, { NX_DOCKER_CACHE_REGISTRY: 'not a registry' })).toThrow(/NX_DOCKER_CACHE_REGISTRY[\s\S]*host\[:port\]/);
  });
});

describe('resolveDefaultAttestations', () => {
  const plugin = parsePluginOptions({ provenance: 'max', sbom: { generator: 'posestack/sbom-scanner' } });
  it('takes nx.json, and none when it sets none', () => {
    expect(resolveDefaultAttestations(plugin, {})).toEqual({ provenance: 'max', sbom: { generator: 'posestack/sbom-scanner' } });
    expect(resolveDefaultAttestations(parsePluginOptions({}), {})).toEqual({});
    expect(resolveDefaultAttestations(parsePluginOptions({ sbom: true }), {})).toEqual({ sbom: true });
  });
  it('takes NX_DOCKER_PROVENANCE and NX_DOCKER_SBOM over nx.json; "" and "off" for none', () => {
    expect(resolveDefaultAttestations(plugin, { NX_DOCKER_PROVENANCE: 'min', NX_DOCKER_SBOM: 'true' })).toEqual({ provenance: 'min', sbom: true });
    expect(resolveDefaultAttestations(plugin, { NX_DOCKER_PROVENANCE: '', NX_DOCKER_SBOM: 'off' })).toEqual({});
    expect(resolveDefaultAttestations(plugin, { NX_DOCKER_SBOM: '' })).toEqual({ provenance: 'max' });
    expect(resolveDefaultAttestations(parsePluginOptions({}), { NX_DOCKER_PROVENANCE: 'off', NX_DOCKER_SBOM: 'localhost:5000/tools/scanner:1' })).toEqual({
      provenance: 'off',
      sbom: { generator: 'localhost:5000/tools/scanner:1' },
    });
  });
  it('names the variable or option and the bad value', () => {
    expect(() => resolveDefaultAttestations(plugin, { NX_DOCKER_PROVENANCE: 'full' })).toThrow(/NX_DOCKER_PROVENANCE "full": expected min, max, off/);
    expect(() => resolveDefaultAttestations(plugin, { NX_DOCKER_SBOM: 'generator=posestack/sbom-scanner' })).toThrow(/NX_DOCKER_SBOM "generator=posestack\/sbom-scanner": expected "true", a scanner image/);
    expect(() => parsePluginOptions({ provenance: 'full' })).toThrow(/nx\.json[\s\S]*provenance/);
    expect(() => parsePluginOptions({ sbom: false })).toThrow(/nx\.json[\s\S]*sbom/);
    expect(() => parsePluginOptions({ sbom: { image: 'x' } })).toThrow(/nx\.json[\s\S]*sbom/);
  });
});
