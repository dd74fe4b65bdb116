import { toNxDefaultImageRef } from './release-refs';

describe('toNxDefaultImageRef', () => {
  it('names an image after its project root as @nx/docker does', () => {
    expect(toNxDefaultImageRef('docker/base-node')).toBe('docker-base-node');
    expect(toNxDefaultImageRef('/Apps/My App')).toBe('apps-my-app');
  });
});
