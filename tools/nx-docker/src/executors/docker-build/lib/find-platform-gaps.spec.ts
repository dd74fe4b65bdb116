import { findPlatformGaps } from './find-platform-gaps';

describe('findPlatformGaps', () => {
  const both = ['linux/amd64', 'linux/arm64'];

  it('accepts bases built for every platform of the image, and images for the engine platform', () => {
    expect(findPlatformGaps(both, [{ project: 'base', platforms: [...both, 'linux/riscv64'] }])).toEqual([]);
    expect(findPlatformGaps([], [{ project: 'base', platforms: [] }])).toEqual([]);
    expect(findPlatformGaps([], [{ project: 'base', platforms: both }])).toEqual([]);
  });

  it('names each base and the platforms it lacks, once per base', () => {
    expect(
      findPlatformGaps(both, [
        { project: 'root', platforms: [] },
        { project: 'node', platforms: ['linux/amd64'] },
        { project: 'node', platforms: ['linux/amd64'] },
      ]),
    ).toEqual(['base "root" is not built for linux/amd64, linux/arm64', 'base "node" is not built for linux/arm64']);
  });
});
