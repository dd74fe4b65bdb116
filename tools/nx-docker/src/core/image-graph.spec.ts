import { parseDockerfile } from './dockerfile/parse-dockerfile';
import { buildImageIndex, resolveImageRefs } from './image-graph';

const index = buildImageIndex([
  { project: 'base-node', imageName: 'posestack/base-node' },
  { project: 'debian-root', imageName: 'posestack/debian-root' },
  { project: 'ferretdb', imageName: 'posestack/ferretdb' },
]);
const airgap = { imageSource: 'airgap' as const, airgapImages: { 'debian:bookworm-slim': 'debian-root', mongo: 'ferretdb' } };
const upstream = { imageSource: 'upstream' as const, airgapImages: airgap.airgapImages };
const refs = (text: string) => parseDockerfile(text).imageRefs;

describe('resolveImageRefs', () => {
  it('pins workspace images by the reference as written, whatever the tag', () => {
    const resolved = resolveImageRefs(refs('FROM posestack/base-node:latest\nCOPY --from=docker.io/posestack/base-node / /\n'), {}, index, upstream);
    expect(resolved.pins).toEqual([
      { contextName: 'posestack/base-node:latest', project: 'base-node', source: 'workspace' },
      { contextName: 'docker.io/posestack/base-node', project: 'base-node', source: 'workspace' },
    ]);
  });

  it('in airgap mode maps upstream images to stand-ins by repository:tag, then by repository', () => {
    const resolved = resolveImageRefs(refs('FROM debian:bookworm-slim\nCOPY --from=mongo:7 /x /x\n'), {}, index, airgap);
    expect(resolved.pins.map((pin) => [pin.contextName, pin.project, pin.source])).toEqual([
      ['debian:bookworm-slim', 'debian-root', 'airgap'],
      ['mongo:7', 'ferretdb', 'airgap'],
    ]);
    expect(resolved.problems).toEqual([]);
  });

  it('in airgap mode refuses an upstream image without a stand-in (a tag mismatch included)', () => {
    const resolved = resolveImageRefs(refs('FROM debian:trixie\n'), {}, index, airgap);
    expect(resolved.problems).toEqual([expect.stringContaining('line 1: "debian:trixie" is an upstream image and imageSource is "airgap"')]);
  });

  it('in upstream mode leaves registry images to BuildKit: no edge, no rewrite', () => {
    const resolved = resolveImageRefs(refs('FROM debian:bookworm-slim\n'), {}, index, upstream);
    expect(resolved).toEqual({ pins: [], upstream: ['debian:bookworm-slim'], problems: [] });
  });

  it('lets named contexts win, and pins project contexts', () => {
    const resolved = resolveImageRefs(
      refs('FROM debian:bookworm-slim\nCOPY --from=models /m /m\n'),
      { 'debian:bookworm-slim': { image: 'mirror.local/debian:12' }, models: { project: 'base-node' } },
      index,
      airgap,
    );
    expect(resolved).toEqual({ pins: [{ contextName: 'models', project: 'base-node', source: 'named-context' }], upstream: [], problems: [] });
  });
});
