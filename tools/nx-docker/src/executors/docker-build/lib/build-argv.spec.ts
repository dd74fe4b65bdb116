import { buildBuildxArgv, findCaBundle } from './build-argv';
import { normalizeBuildOptions, parseBuildOptions } from '../../../core/options/normalize-build-options';

const normalize = (raw: unknown) =>
  normalizeBuildOptions(parseBuildOptions(raw, 'svc'), { project: 'svc', root: 'apps/svc', imageNamePrefix: 'posestack' }, { TOKEN_VAR: 't' });

const plan = {
  contentKey: 'ab'.repeat(32),
  contentTagRef: 'posestack/svc:nx-abababababababab',
  pins: [{ contextName: 'posestack/base-node', imageRef: 'posestack/base-node:nx-0123456789abcdef' }],
  metadataFile: '/tmp/m.json',
};

describe('buildBuildxArgv', () => {
  it('builds from the workspace root with an explicit file, tags, pins and the content label', () => {
    expect(buildBuildxArgv(normalize({}), plan)).toEqual([
      'buildx', 'build', '--file', 'apps/svc/Dockerfile', '--progress', 'plain', '--metadata-file', '/tmp/m.json',
      '--tag', 'posestack/svc:latest', '--tag', 'posestack/svc:nx-abababababababab',
      '--build-context', 'posestack/base-node=docker-image://posestack/base-node:nx-0123456789abcdef',
      '--label', `dev.posestack.nx-docker.content-key=${plan.contentKey}`,
      '--load', 'apps/svc',
    ]);
  });

  it('maps every option to its flag', () => {
    const argv = buildBuildxArgv(
      normalize({
        context: '.',
        buildArgs: { A: '1', B: { env: 'TOKEN_VAR' } },
        target: 'runtime',
        platforms: ['linux/amd64'],
        buildContexts: { assets: { path: 'dist/assets' }, tools: { image: 'busybox:1' }, base: { project: 'base' } },
        secrets: [{ id: 'npmrc', src: '.npmrc' }, { id: 'token', env: 'TOKEN_VAR' }],
        ssh: ['default'],
        provenance: 'max',
        sbom: { generator: 'posestack/sbom-scanner:1' },
        labels: { team: 'pose' },
        cacheFrom: ['type=registry,ref=r/c'],
        cacheTo: ['type=inline'],
        pull: true,
        noCache: true,
        builder: 'ci',
      }),
      { ...plan, pins: [], caFile: '/etc/ssl/certs/ca.crt' },
    ).join(' ');
    for (const expected of [
      '--build-arg A=1 --build-arg B=t',
      '--target runtime',
      '--platform linux/amd64',
      '--build-context assets=dist/assets --build-context tools=docker-image://busybox:1',
      '--secret id=npmrc,src=.npmrc --secret id=token,env=TOKEN_VAR --secret id=ca,src=/etc/ssl/certs/ca.crt',
      '--ssh default --provenance=mode=max --sbom=generator=posestack/sbom-scanner:1',
      '--label team=pose',
      '--cache-from type=registry,ref=r/c --cache-to type=inline --pull --no-cache --load --builder ci .',
    ]) {
      expect(argv).toContain(expected);
    }
  });

  it('turns attestations off or asks for the default scanner', () => {
    expect(buildBuildxArgv(normalize({ provenance: 'off', sbom: true }), plan)).toEqual(expect.arrayContaining(['--provenance=false', '--sbom=true']));
  });
});

describe('findCaBundle', () => {
  const isFile = (path: string) => path === '/certs/corp.pem';
  it('takes the first CA variable that names an existing file', () => {
    expect(findCaBundle({ caSecret: 'auto', secrets: [] }, { SSL_CERT_FILE: '/missing', PIP_CERT: '/certs/corp.pem' }, isFile)).toBe('/certs/corp.pem');
  });
  it('is off on request, and when the user passes their own secret id=ca', () => {
    const env = { SSL_CERT_FILE: '/certs/corp.pem' };
    expect(findCaBundle({ caSecret: 'off', secrets: [] }, env, isFile)).toBeUndefined();
    expect(findCaBundle({ caSecret: 'auto', secrets: [{ id: 'ca', src: 'x' }] }, env, isFile)).toBeUndefined();
  });
});
