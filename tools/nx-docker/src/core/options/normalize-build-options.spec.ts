import { dependsOnDriver, findOptionConflicts, normalizeBuildOptions, parseBuildOptions, type NormalizedBuildOptions } from './normalize-build-options';

const location = { project: 'backend-api', root: 'apps/backend-api', imageNamePrefix: 'posestack' };
const normalize = (raw: unknown, env: Record<string, string> = {}) => normalizeBuildOptions(parseBuildOptions(raw, 'backend-api'), location, env);

describe('parseBuildOptions', () => {
  it('names the failing option path and what was expected', () => {
    expect(() => parseBuildOptions({ platforms: ['amd64'] }, 'api')).toThrow(/expected os\/arch[\s\S]*at platforms\[0\]/);
    expect(() => parseBuildOptions({ progress: 'loud' }, 'api')).toThrow(/expected one of "auto"\|"plain"[\s\S]*at progress/);
    expect(() => parseBuildOptions({ buildArgs: { V: { env: 'not-an-env' } } }, 'api')).toThrow(/buildArgs\.V/);
  });

  it('rejects misplaced options instead of ignoring them', () => {
    expect(() => parseBuildOptions({ metadata: { push: true } }, 'api')).toThrow(/Unrecognized key[\s\S]*metadata/);
    expect(() => parseBuildOptions({ secrets: [{ id: 'npm', src: 'a', env: 'B' }] }, 'api')).toThrow(/secrets\[0\]/);
  });
});

describe('normalizeBuildOptions', () => {
  it('defaults context, dockerfile and image name from the project', () => {
    const options = normalize({});
    expect(options).toMatchObject({
      context: 'apps/backend-api',
      dockerfile: 'apps/backend-api/Dockerfile',
      imageName: 'posestack/backend-api',
      tags: ['posestack/backend-api:latest'],
      load: true,
      push: false,
      caSecret: 'auto',
    });
  });

  it('resolves env build args, falling back to their default, and lists the variables read', () => {
    const options = normalize(
      { buildArgs: { LITERAL: 'x', VERSION: { env: 'APP_VERSION' }, MODE: { env: 'APP_MODE', default: 'prod' }, UNSET: { env: 'NOPE' } } },
      { APP_VERSION: '1.2.3' },
    );
    expect(options.buildArgs).toEqual({ LITERAL: 'x', VERSION: '1.2.3', MODE: 'prod' });
    expect(options.buildArgEnv).toEqual(['APP_MODE', 'APP_VERSION', 'NOPE']);
  });

  it('takes the default platforms when the options set none, and the options over them', () => {
    const withDefault = (raw: unknown) => normalizeBuildOptions(parseBuildOptions(raw, 'api'), { ...location, defaultPlatforms: ['linux/arm64'] }, {});
    expect(withDefault({}).platforms).toEqual(['linux/arm64']);
    expect(withDefault({ platforms: [] }).platforms).toEqual([]);
    expect(normalize({}).platforms).toEqual([]);
  });

  it('takes the default attestations when the options set none, and the options over them ("sbom": false for none)', () => {
    const withDefault = (raw: unknown, project = 'api') =>
      normalizeBuildOptions(parseBuildOptions(raw, project), { ...location, project, defaultAttestations: { provenance: 'max', sbom: { generator: 'posestack/sbom-scanner' } } }, {});
    expect(withDefault({})).toMatchObject({ provenance: 'max', sbom: { generator: 'posestack/sbom-scanner' } });
    expect(withDefault({ provenance: 'off', sbom: true })).toMatchObject({ provenance: 'off', sbom: true });
    expect(withDefault({ sbom: false }).sbom).toBeUndefined();
    expect(normalize({ sbom: false }).sbom).toBeUndefined();
    expect(normalize({})).toMatchObject({ provenance: undefined, sbom: undefined });
  });

  it('never gives the default generator its own image to scan (it cannot run before it is built)', () => {
    const scanner = (defaultSbom: { generator: string }, imageName?: string) =>
      normalizeBuildOptions(parseBuildOptions(imageName ? { imageName } : {}, 'sbom-scanner'), { project: 'sbom-scanner', root: 'docker/sbom-scanner', imageNamePrefix: 'posestack', defaultAttestations: { provenance: 'max', sbom: defaultSbom } }, {});
    expect(scanner({ generator: 'posestack/sbom-scanner' })).toMatchObject({ provenance: 'max', sbom: undefined });
    expect(scanner({ generator: 'docker.io/posestack/sbom-scanner:latest' }).sbom).toBeUndefined();
    expect(scanner({ generator: 'posestack/sbom-scanner' }, 'ghcr.io/acme/sbom-scanner').sbom).toEqual({ generator: 'posestack/sbom-scanner' });
  });

  it('applies bare tags to the image name and keeps full references', () => {
    expect(normalize({ imageName: 'ghcr.io/acme/api', tags: ['1.0', 'ghcr.io/acme/api:stable', '1.0'] }).tags).toEqual([
      'ghcr.io/acme/api:1.0',
      'ghcr.io/acme/api:stable',
    ]);
  });
});

describe('findOptionConflicts', () => {
  const base: NormalizedBuildOptions = normalize({});
  it.each<[string, Partial<NormalizedBuildOptions>, string | undefined, RegExp]>([
    ['load and push', { push: true }, undefined, /"load" and "push" are both true/],
    ['neither output', { load: false }, undefined, /both false/],
    ['push without registry', { load: false, push: true }, undefined, /"push" needs registry-qualified tags[\s\S]*posestack\/backend-api:latest/],
    ['several platforms + load on docker, classic store', { platforms: ['linux/amd64', 'linux/arm64'] }, 'docker', /"platforms" lists 2 platforms .*classic image store/],
    ['cache-to on docker', { cacheTo: ['type=local,dest=/tmp/c'] }, 'docker', /"cacheTo" type=local,dest=\/tmp\/c is not supported by the docker driver/],
  ])('%s', (_name, change, driver, message) => {
    expect(findOptionConflicts({ ...base, ...change }, driver).join('\n')).toMatch(message);
  });

  it('accepts what the docker-container driver can do, and inline cache on the docker driver', () => {
    expect(findOptionConflicts({ ...base, platforms: ['linux/amd64', 'linux/arm64'], load: false, push: true, tags: ['ghcr.io/a/b:1'] }, 'docker-container')).toEqual([]);
    expect(findOptionConflicts({ ...base, cacheTo: ['type=inline'] }, 'docker')).toEqual([]);
  });

  it('loads several platforms into the containerd image store', () => {
    expect(findOptionConflicts({ ...base, platforms: ['linux/amd64', 'linux/arm64'] }, 'docker', true)).toEqual([]);
  });
});

describe('dependsOnDriver', () => {
  it('asks for the driver only when an option depends on it', () => {
    expect(dependsOnDriver(normalize({}))).toBe(false);
    expect(dependsOnDriver(normalize({ platforms: ['linux/amd64', 'linux/arm64'] }))).toBe(true);
    expect(dependsOnDriver(normalize({ cacheTo: ['type=inline'] }))).toBe(true);
    expect(dependsOnDriver(normalize({ builder: 'ci' }))).toBe(true);
  });
});
