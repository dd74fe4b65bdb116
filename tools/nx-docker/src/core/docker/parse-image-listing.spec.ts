import { parseCreatedAt, parseImageListing } from './parse-docker-output';

describe('parseImageListing', () => {
  it('reads repository, tag, id and creation time; skips untagged images', () => {
    const output = [
      'posestack/base-node\tnx-409c975b23a78ada\tfb7bb89522f9\t2026-12-01 21:40:05 +0000 UTC',
      '<none>\t<none>\t0123456789ab\t2026-11-30 10:00:00 +0100 CET',
      'posestack/base-node\tlatest\tfb7bb89522f9\t2026-12-01 21:40:05 +0000 UTC',
      '',
    ].join('\n');
    expect(parseImageListing(output)).toEqual([
      { repository: 'posestack/base-node', tag: 'nx-409c975b23a78ada', id: 'fb7bb89522f9', createdAt: Date.parse('2026-12-01T21:40:05Z') },
      { repository: 'posestack/base-node', tag: 'latest', id: 'fb7bb89522f9', createdAt: Date.parse('2026-12-01T21:40:05Z') },
    ]);
  });

  it('honours the offset of the creation time', () => {
    expect(parseCreatedAt('2026-11-30 10:00:00 +0100 CET')).toBe(Date.parse('2026-11-30T09:00:00Z'));
    expect(parseCreatedAt('yesterday')).toBeNaN();
  });
});
