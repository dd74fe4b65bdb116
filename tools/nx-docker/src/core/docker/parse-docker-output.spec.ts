import { createHash } from 'node:crypto';
import { isBuildxTooOld, parseBuilderDriver, parseBuildMetadata, parseBuildxVersion, parseImageList, parsePushedDigest, parseRemoteDigests } from './parse-docker-output';

describe('parseBuildxVersion', () => {
  it.each([
    ['github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3', [0, 13, 1]],
    ['github.com/docker/buildx v0.10.4 c513d34', [0, 10, 4]],
    ['docker: unknown command', undefined],
  ])('%s', (output, expected) => expect(parseBuildxVersion(output)).toEqual(expected));

  it('requires buildx 0.11 or newer', () => {
    expect(isBuildxTooOld([0, 10, 4])).toBe(true);
    expect(isBuildxTooOld([0, 11, 0])).toBe(false);
    expect(isBuildxTooOld([1, 0, 0])).toBe(false);
  });
});

it('reads the builder driver', () => {
  expect(parseBuilderDriver('Name:          default\nDriver:        docker\n')).toBe('docker');
});

it('lists tagged images with their ids', () => {
  expect([...parseImageList('posestack/a:nx-1\tsha256:1\n<none>:<none>\tsha256:2\n\nposestack/b:latest\tsha256:3\n')]).toEqual([
    ['posestack/a:nx-1', 'sha256:1'],
    ['posestack/b:latest', 'sha256:3'],
  ]);
});

it('reads digests from the metadata file', () => {
  expect(parseBuildMetadata('{"containerimage.digest":"sha256:a","containerimage.config.digest":"sha256:b"}')).toEqual({
    digest: 'sha256:a',
    configDigest: 'sha256:b',
  });
});

describe('parseRemoteDigests', () => {
  it('lists the digest of the bytes served, then the config of a single manifest or each manifest of an index', () => {
    const single = '{"schemaVersion":2,"config":{"digest":"sha256:c1"},"layers":[]}\n';
    expect(parseRemoteDigests(single)).toEqual([`sha256:${createHash('sha256').update(single).digest('hex')}`, 'sha256:c1']);
    const index = JSON.stringify({ schemaVersion: 2, manifests: [{ digest: 'sha256:m1' }, { digest: 'sha256:att' }] }, null, 2);
    expect(parseRemoteDigests(index)).toEqual([`sha256:${createHash('sha256').update(index).digest('hex')}`, 'sha256:m1', 'sha256:att']);
  });
});

describe('parsePushedDigest', () => {
  it('reads the digest line docker push ends with', () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    const output = `The push refers to repository [127.0.0.1:5000/cache/app]\n5f70bf18a086: Pushed\nnx-0123456789abcdef: digest: ${digest} size: 735\n`;
    expect(parsePushedDigest(output)).toBe(digest);
    expect(parsePushedDigest('127.0.0.1:5000/cache/app:nx-0123456789abcdef\n')).toBeUndefined();
  });
});
