import { parseDockerfile } from '../../../core/dockerfile/parse-dockerfile';
import { describeSources } from './describe-sources';

it('says where each image the build reads comes from', () => {
  const refs = parseDockerfile('FROM debian:bookworm-slim\nCOPY --from=posestack/tools /t /t\nCOPY --from=busybox:1 /bin/sh /sh\n').imageRefs;
  expect(
    describeSources(
      refs,
      [
        { contextName: 'debian:bookworm-slim', imageRef: 'posestack/debian-root:nx-0123456789abcdef', project: 'debian-root', source: 'airgap' },
        { contextName: 'posestack/tools', imageRef: 'posestack/tools:nx-fedcba9876543210', project: 'tools', source: 'workspace' },
      ],
      ['busybox:1'],
    ),
  ).toEqual([
    'root debian:bookworm-slim <- airgap stand-in posestack/debian-root:nx-0123456789abcdef (project debian-root)',
    'context posestack/tools <- workspace build posestack/tools:nx-fedcba9876543210 (project tools)',
    'root busybox:1 <- upstream registry (resolved by BuildKit)',
  ]);
});
