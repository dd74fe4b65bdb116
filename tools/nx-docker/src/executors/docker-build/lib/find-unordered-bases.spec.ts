import { findUnorderedBases } from './find-unordered-bases';

describe('findUnorderedBases', () => {
  it('accepts the inferred ^docker-build, as a string or an object', () => {
    expect(findUnorderedBases(['^docker-build', 'build'], 'docker-build', ['base-node'])).toEqual([]);
    expect(findUnorderedBases([{ target: 'docker-build', dependencies: true }], 'docker-build', ['base-node'])).toEqual([]);
  });

  it('names the bases an override dropped (dependsOn without "..." or ^docker-build)', () => {
    expect(findUnorderedBases(['build'], 'docker-build', ['base-node'])).toEqual(['base-node']);
    expect(findUnorderedBases([{ projects: ['ferretdb-bin'], target: 'build' }], 'docker-build', ['debian-root'])).toEqual(['debian-root']);
    expect(findUnorderedBases(undefined, 'docker-build', ['a', 'b'])).toEqual(['a', 'b']);
  });

  it('accepts bases listed by name and trusts project patterns', () => {
    expect(findUnorderedBases([{ projects: ['a'], target: 'docker-build' }], 'docker-build', ['a', 'b'])).toEqual(['b']);
    expect(findUnorderedBases([{ projects: 'tag:image', target: 'docker-build' }], 'docker-build', ['a'])).toEqual([]);
  });

  it('has nothing to say about an image without workspace bases', () => {
    expect(findUnorderedBases(['build'], 'docker-build', [])).toEqual([]);
  });
});
