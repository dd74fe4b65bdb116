import { imageStateEnvName, toImageState } from './image-state';

const probe = { key: 'k1', buildx: '0.13.1', nonce: 'n2' };

describe('toImageState', () => {
  it('gives an absent image a fresh nonce, so it never matches a cached hash', () => {
    expect(toImageState({ ...probe, isPresent: false, recorded: 'k1 buildx-0.13.1 absent-n1' })).toBe('k1 buildx-0.13.1 absent-n2');
  });

  it('reuses the recorded state of a present image (the hash its last build ran with)', () => {
    expect(toImageState({ ...probe, isPresent: true, recorded: 'k1 buildx-0.13.1 absent-n1' })).toBe('k1 buildx-0.13.1 absent-n1');
  });

  it('ignores a record for another key or buildx version', () => {
    expect(toImageState({ ...probe, isPresent: true, recorded: 'k0 buildx-0.13.1 absent-n1' })).toBe('k1 buildx-0.13.1 present');
    expect(toImageState({ ...probe, isPresent: true, recorded: 'k1 buildx-0.12.0 absent-n1' })).toBe('k1 buildx-0.13.1 present');
  });

  it('is unknown (nonce) without a key or without Docker', () => {
    expect(toImageState({ ...probe, key: undefined, isPresent: false })).toBe('unknown-n2');
    expect(toImageState({ ...probe, buildx: undefined, isPresent: true })).toBe('unknown-n2');
  });
});

it('names the env variable after the project root', () => {
  expect(imageStateEnvName('docker/base-python-pose')).toBe('NX_DOCKER_IMAGE_STATE_DOCKER_BASE_PYTHON_POSE');
});
