import { isRegistryQualified, parseImageRef } from './image-ref';

describe('parseImageRef', () => {
  it('normalises Docker Hub names to their familiar form', () => {
    expect(parseImageRef('docker.io/library/debian:bookworm-slim')).toEqual({ repository: 'debian', tag: 'bookworm-slim' });
    expect(parseImageRef('mongo')).toEqual({ repository: 'mongo' });
  });

  it('keeps registry hosts with ports and digests apart from tags', () => {
    expect(parseImageRef('localhost:5000/team/app:1.2@sha256:abc')).toEqual({
      repository: 'localhost:5000/team/app',
      tag: '1.2',
      digest: 'sha256:abc',
    });
  });
});

describe('isRegistryQualified', () => {
  it.each([
    ['ghcr.io/acme/app:1', true],
    ['localhost:5000/app', true],
    ['localhost/app', true],
    ['posestack/app:1', false],
    ['app', false],
  ])('%s -> %s', (ref, expected) => {
    expect(isRegistryQualified(ref)).toBe(expected);
  });
});
