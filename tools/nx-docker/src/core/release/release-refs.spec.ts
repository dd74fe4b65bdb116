import { isLoopbackRegistryRef, toNxDefaultImageRef } from './release-refs';

describe('toNxDefaultImageRef', () => {
  it('names an image after its project root as @nx/docker does', () => {
    expect(toNxDefaultImageRef('docker/base-node')).toBe('docker-base-node');
    expect(toNxDefaultImageRef('/Apps/My App')).toBe('apps-my-app');
  });
});

describe('isLoopbackRegistryRef', () => {
  it('is true for loopback registries only', () => {
    expect(isLoopbackRegistryRef('127.0.0.1:5000/acme/api:1')).toBe(true);
    expect(isLoopbackRegistryRef('localhost:5000/api:1')).toBe(true);
    expect(isLoopbackRegistryRef('ghcr.io/acme/api:1')).toBe(false);
    expect(isLoopbackRegistryRef('acme/api:1')).toBe(false);
  });
});
