import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MissingBaseError, OptionsError } from '../../../core/errors';
import { parsePluginOptions } from '../../../core/options/plugin-options';
import { parseRegistryLocation } from '../../../core/registry/registry-location';
import { describeWorkspace, type ImageModel } from '../../../core/workspace/describe-workspace';
import { openWorkspaceCaches } from '../../../core/workspace/workspace-caches';
import { planBuild, type PlanInput } from './plan-build';

let root: string;
const write = (path: string, content: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
};

/** The real model of a two-image workspace (base, app FROM base) with app's options as given. */
function describe2(appOptions: Record<string, unknown> = {}, pluginOptions: Record<string, unknown> = {}): Map<string, ImageModel> {
  const configs = [
    { project: 'base', root: 'docker/base', options: {} },
    { project: 'app', root: 'apps/app', options: appOptions },
  ];
  const { images, errors } = describeWorkspace(root, configs, parsePluginOptions(pluginOptions), {}, openWorkspaceCaches());
  if (errors.size > 0) throw new Error([...errors.values()].join('\n'));
  return images;
}

function input(image: ImageModel, overrides: Partial<PlanInput> = {}): PlanInput {
  return { project: image.options.project, targetName: 'docker-build', dependsOn: ['^docker-build'], image, store: new Map(), metadataFile: '/tmp/m.json', ...overrides };
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'nx-docker-plan-'));
  write('docker/base/Dockerfile', 'FROM scratch\nCOPY a.txt /a\n');
  write('docker/base/a.txt', 'a\n');
  write('apps/app/Dockerfile', 'FROM posestack/base\nCOPY b.txt /b\n');
  write('apps/app/b.txt', 'b\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('planBuild', () => {
  it('builds, pinning the base to its exact content tag, when the content tag is not in the store', () => {
    const images = describe2();
    const app = images.get('app') as ImageModel;
    const baseRef = (images.get('base') as ImageModel).contentTagRef;
    const plan = planBuild(input(app, { store: new Map([[baseRef, 'sha256:base']]), caFile: '/etc/ca.pem' }));
    expect(plan).toMatchObject({ action: 'build', contentTagRef: app.contentTagRef, hasCaSecret: true });
    if (plan.action !== 'build') throw new Error('expected a build');
    expect(plan.argv).toEqual(expect.arrayContaining(['--build-context', `posestack/base=docker-image://${baseRef}`, '--secret', 'id=ca,src=/etc/ca.pem']));
    expect(plan.sourceLines).toEqual([`base posestack/base <- workspace build ${baseRef} (project base)`]);
  });

  it('reuses (re-tags) a content tag already in the store, unless the options ask for a fresh build', () => {
    const images = describe2();
    const app = images.get('app') as ImageModel;
    const store = new Map([
      [(images.get('base') as ImageModel).contentTagRef, 'sha256:base'],
      [app.contentTagRef, 'sha256:app'],
    ]);
    expect(planBuild(input(app, { store }))).toMatchObject({ action: 'reuse', tags: ['posestack/app:latest'] });
    const noCache = describe2({ noCache: true }).get('app') as ImageModel;
    expect(planBuild(input(noCache, { store: new Map([...store, [noCache.contentTagRef, 'sha256:app']]) })).action).toBe('build');
  });

  it('refuses a base missing from the store, naming it and the command that builds it', () => {
    const app = describe2().get('app') as ImageModel;
    expect(() => planBuild(input(app))).toThrow(MissingBaseError);
    expect(() => planBuild(input(app))).toThrow(/posestack\/base:nx-[0-9a-f]{16} \(project base\)[\s\S]*npx nx run-many -t docker-build -p base/);
  });

  it('refuses a dependsOn override that does not build the base first', () => {
    const app = describe2().get('app') as ImageModel;
    expect(() => planBuild(input(app, { dependsOn: ['lint'] }))).toThrow(/reads "base" but its dependsOn does not build it first/);
  });

  it('judges driver-dependent options with the driver it is given', () => {
    const app = describe2({ platforms: ['linux/amd64', 'linux/arm64'] }).get('app') as ImageModel;
    expect(() => planBuild(input(app, { driver: 'docker' }))).toThrow(OptionsError);
    expect(() => planBuild(input(app, { driver: 'docker' }))).toThrow(/"platforms" lists 2 platforms \(linux\/amd64, linux\/arm64\) with "load"[\s\S]*containerd image store/);
  });

  it('builds several platforms into the containerd image store only on bases built for each of them', () => {
    const both = ['linux/amd64', 'linux/arm64'];
    const app = describe2({ platforms: both }).get('app') as ImageModel;
    expect(() => planBuild(input(app, { driver: 'docker', isContainerdStore: true }))).toThrow(
      /"app" is built for linux\/amd64, linux\/arm64, but base "base" is not built for linux\/amd64, linux\/arm64: give that base the same "platforms"/,
    );
    const images = describe2({}, { platforms: both });
    const [base, multiApp] = [images.get('base'), images.get('app')] as ImageModel[];
    expect(multiApp.pins).toMatchObject([{ project: 'base', platforms: both }]);
    const plan = planBuild(input(multiApp, { driver: 'docker', isContainerdStore: true, store: new Map([[base.contentTagRef, 'sha256:base']]) }));
    expect(plan.action === 'build' && plan.argv.join(' ')).toContain('--platform linux/amd64,linux/arm64');
    // Another platform set is another image: its own content key, so both builds can sit side by side.
    expect(multiApp.contentKey).not.toBe(describe2().get('app')?.contentKey);
  });

  it('gives every image the plugin-wide provenance and SBOM, each a key of its own; the CA stays a secret mount', () => {
    const plugin = { provenance: 'max', sbom: { generator: 'posestack/sbom-scanner' } };
    const images = describe2({}, plugin);
    const [base, app] = [images.get('base'), images.get('app')] as ImageModel[];
    const plan = planBuild(input(app, { store: new Map([[base.contentTagRef, 'sha256:base']]), caFile: '/etc/ca.pem' }));
    if (plan.action !== 'build') throw new Error('expected a build');
    expect(plan.argv).toEqual(expect.arrayContaining(['--provenance=mode=max', '--sbom=generator=posestack/sbom-scanner', '--secret', 'id=ca,src=/etc/ca.pem']));
    // The attestations' options never carry the CA (BuildKit records a secret by its id).
    expect(plan.argv.filter((arg) => /^--(provenance|sbom)=/.test(arg)).join(' ')).not.toContain('/etc/ca.pem');
    const plain = describe2();
    expect(base.contentKey).not.toBe(plain.get('base')?.contentKey);
    expect(app.contentKey).not.toBe(plain.get('app')?.contentKey);
    // An image opts out of the default SBOM with "sbom": false and keeps the default provenance.
    const optedOut = describe2({ sbom: false }, plugin).get('app') as ImageModel;
    expect(optedOut.options).toMatchObject({ provenance: 'max', sbom: undefined });
    expect(optedOut.contentKey).not.toBe(app.contentKey);
  });

  describe('with a cache registry', () => {
    const location = parseRegistryLocation('http://127.0.0.1:5000/cache');
    const setup = () => {
      const images = describe2();
      const base = images.get('base') as ImageModel;
      return { app: images.get('app') as ImageModel, store: new Map([[base.contentTagRef, 'sha256:base']]) };
    };

    it('tries the registry before building, pushes what it builds, and uses its layer cache when the builder can', () => {
      const { app, store } = setup();
      const ref = `127.0.0.1:5000/cache/posestack/app:${app.contentTagRef.split(':')[1]}`;
      const plan = planBuild(input(app, { store, sharing: { location, isShared: false, useLayerCache: true } }));
      const target = { ref, repository: '127.0.0.1:5000/cache/posestack/app', contentKey: app.contentKey, platforms: [], registry: '127.0.0.1:5000/cache', isInsecure: true };
      expect(plan).toMatchObject({ action: 'build', restoreFrom: target, shareTo: target });
      if (plan.action !== 'build') throw new Error('expected a build');
      expect(plan.argv).toEqual(
        expect.arrayContaining([
          '--cache-from',
          'type=registry,ref=127.0.0.1:5000/cache/posestack/app:buildcache,registry.insecure=true',
          '--cache-to',
          'type=registry,ref=127.0.0.1:5000/cache/posestack/app:buildcache,mode=max,ignore-error=true,registry.insecure=true',
        ]),
      );
      const classic = planBuild(input(app, { store, sharing: { location, isShared: false, useLayerCache: false } }));
      expect(classic.action === 'build' && classic.argv).not.toContain('--cache-to');
    });

    it('pushes a reused image only while the registry lacks it from this machine', () => {
      const { app, store } = setup();
      const present = new Map([...store, [app.contentTagRef, 'sha256:app']]);
      expect(planBuild(input(app, { store: present, sharing: { location, isShared: false, useLayerCache: false } }))).toMatchObject({ action: 'reuse', shareTo: { registry: '127.0.0.1:5000/cache' } });
      expect(planBuild(input(app, { store: present, sharing: { location, isShared: true, useLayerCache: false } }))).not.toHaveProperty('shareTo');
    });

    it('does not restore when the options ask for a fresh build', () => {
      const images = describe2({ noCache: true });
      const base = images.get('base') as ImageModel;
      const plan = planBuild(input(images.get('app') as ImageModel, { store: new Map([[base.contentTagRef, 'sha256:b']]), sharing: { location, isShared: false, useLayerCache: false } }));
      expect(plan).not.toHaveProperty('restoreFrom');
    });
  });

  it('refuses an upstream image without a stand-in in airgap mode', () => {
    write('apps/app/Dockerfile', 'FROM alpine:3.20\n');
    const app = describe2({}, { imageSource: 'airgap' }).get('app') as ImageModel;
    expect(() => planBuild(input(app))).toThrow(/"alpine:3.20" is an upstream image and imageSource is "airgap"/);
  });
});
