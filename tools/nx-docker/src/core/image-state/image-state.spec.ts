import { imageStateEnvName, stateBasis, toImageState, type ImageStateProbe } from './image-state';

const ref = 'p/app:nx-k1';
const images = new Map([
  [ref, 'sha256:a'],
  ['p/app:latest', 'sha256:a'],
]);
const probe: ImageStateProbe = { key: 'k1', buildx: '0.13.1', contentTagRef: ref, tags: ['p/app:latest'], images, nonce: 'n2' };

describe('toImageState', () => {
  it('gives an absent image a fresh nonce, so it never matches a cached hash', () => {
    expect(toImageState({ ...probe, images: new Map() })).toBe('k1 buildx-0.13.1 absent-n2');
  });

  it('gives a fresh nonce when a promised tag points at another image, or at none', () => {
    const moved = new Map([...images, ['p/app:latest', 'sha256:other']]);
    const recorded = { state: 'k1 buildx-0.13.1 absent-n1', imageId: 'sha256:a' };
    expect(toImageState({ ...probe, images: moved, recorded })).toBe('k1 buildx-0.13.1 retag-n2');
    expect(toImageState({ ...probe, images: new Map([[ref, 'sha256:a']]), recorded })).toBe('k1 buildx-0.13.1 retag-n2');
  });

  it('reuses the recorded state of a current image (the hash its last build ran with)', () => {
    expect(toImageState({ ...probe, recorded: { state: 'k1 buildx-0.13.1 absent-n1', imageId: 'sha256:a' } })).toBe('k1 buildx-0.13.1 absent-n1');
  });

  it("reuses a fresh clone's first state (unknown: no key yet) when the record names this key and buildx version", () => {
    const recorded = { state: 'unknown-n1', imageId: 'sha256:a', basis: stateBasis('k1', '0.13.1') };
    expect(toImageState({ ...probe, recorded })).toBe('unknown-n1');
    expect(toImageState({ ...probe, recorded: { ...recorded, basis: stateBasis('k1', '0.12.0') } })).toBe('k1 buildx-0.13.1 present-sha256:a');
    expect(toImageState({ ...probe, recorded: { ...recorded, basis: undefined } })).toBe('k1 buildx-0.13.1 present-sha256:a');
    expect(toImageState({ ...probe, recorded: { ...recorded, imageId: 'sha256:b' } })).toBe('k1 buildx-0.13.1 present-sha256:a');
  });

  it('ignores a record for another key, buildx version or image id', () => {
    const present = 'k1 buildx-0.13.1 present-sha256:a';
    expect(toImageState({ ...probe, recorded: { state: 'k0 buildx-0.13.1 absent-n1', imageId: 'sha256:a' } })).toBe(present);
    expect(toImageState({ ...probe, recorded: { state: 'k1 buildx-0.12.0 absent-n1', imageId: 'sha256:a' } })).toBe(present);
    expect(toImageState({ ...probe, recorded: { state: 'k1 buildx-0.13.1 absent-n1', imageId: 'sha256:b' } })).toBe(present);
  });

  it('misses (nonce) while a reachable cache registry does not have the image from this machine', () => {
    const recorded = { state: 'k1 buildx-0.13.1 absent-n1', imageId: 'sha256:a' };
    expect(toImageState({ ...probe, recorded, sharedTo: 'r/c' })).toBe('k1 buildx-0.13.1 unshared-n2');
    expect(toImageState({ ...probe, recorded: { ...recorded, sharedTo: 'r/other' }, sharedTo: 'r/c' })).toBe('k1 buildx-0.13.1 unshared-n2');
    expect(toImageState({ ...probe, recorded: { ...recorded, sharedTo: 'r/c' }, sharedTo: 'r/c' })).toBe(recorded.state);
  });

  it('is unknown (nonce) without a key or without Docker', () => {
    expect(toImageState({ ...probe, key: undefined })).toBe('unknown-n2');
    expect(toImageState({ ...probe, buildx: undefined })).toBe('unknown-n2');
    expect(toImageState({ ...probe, images: undefined })).toBe('unknown-n2');
  });
});

it('names the env variable after the project root', () => {
  expect(imageStateEnvName('docker/base-python-pose')).toBe('NX_DOCKER_IMAGE_STATE_DOCKER_BASE_PYTHON_POSE');
});
