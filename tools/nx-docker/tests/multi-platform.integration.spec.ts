import {
  cacheRegistrySkipReason,
  secondEngineSkipReason,
  startCacheRegistry,
  startSecondEngine,
  type CacheRegistry,
  type SecondEngine,
} from '@posestack/test-stack';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFixtureWorkspace, removeFixtureWorkspace, type FixtureImage } from './support/fixture-workspace';
import { arm64EmulationSkipReason, buildHelloPrograms } from './support/foreign-platform';
import { initRepository, removeFixtureImages, writeReleaseConfig } from './support/release-fixture';
import { runNx, type NxRun } from './support/run-nx';

/**
 * linux/amd64 + linux/arm64 images, arm64 under QEMU (Debian's qemu-user-static through binfmt_misc), on a
 * second engine with the containerd image store (the classic store holds one platform per tag), released with
 * nx release to a real distribution registry as one manifest list per image, with a mode=max provenance that the
 * plugin option "provenance" asks for once, for every image.
 * The images carry a tiny static Go program built for each platform, so every RUN step really executes the
 * platform's binary.
 */

const skipReason = secondEngineSkipReason() ?? cacheRegistrySkipReason() ?? arm64EmulationSkipReason();
if (skipReason) console.warn(`multi-platform.integration.spec: skipped, ${skipReason}`);

const prefix = `i15-mp-${process.pid}`;
const platforms = ['linux/amd64', 'linux/arm64'];
// Stands for a corporate CA bundle: the build mounts it (secret id=ca), no attestation may carry it.
const caMarker = `i15-ca-marker-${process.pid}-${Date.now()}`;
const images: FixtureImage[] = [
  { root: 'docker/base', dockerfile: 'FROM scratch\nARG TARGETARCH\nCOPY hello-${TARGETARCH} /hello\nCMD ["/hello"]\n' },
  {
    root: 'apps/one',
    dockerfile: `FROM ${prefix}/base\nRUN --mount=type=secret,id=ca ["/hello", "/built.txt"]\n`,
  },
];

(skipReason ? describe.skip : describe)('images for amd64 and arm64, released as manifest lists', () => {
  let work: string;
  let root: string;
  let registry: CacheRegistry;
  let engine: SecondEngine;
  let caFile: string;
  const nx = (args: string[], env: Record<string, string> = {}) => runNx(root, args, { DOCKER_HOST: engine.dockerHost, SSL_CERT_FILE: caFile, ...env });
  const docker = async (args: string[]) => (await execa('docker', args, { env: engine.env })).stdout;
  const contentTagRef = (project: string) => `${prefix}/${project}:${JSON.parse(readFileSync(join(root, 'dist', 'docker', project, 'image.json'), 'utf8')).contentTag}`;
  const released = (project: string) => `${registry.address}/${prefix}/${project}:1.0.0`;

  function expectSuccess(run: NxRun): void {
    if (run.exitCode !== 0) console.log(run.output.slice(-8000));
    expect(run.exitCode).toBe(0);
  }

  beforeAll(async () => {
    // Short: the engine's sockets live under it (a Unix socket path has at most 107 bytes).
    work = mkdtempSync('/tmp/i15mp-');
    caFile = join(work, 'ca.pem');
    writeFileSync(caFile, `-----BEGIN CERTIFICATE-----\n${caMarker}\n-----END CERTIFICATE-----\n`);
    [registry, engine] = await Promise.all([startCacheRegistry(join(work, 'registry')), startSecondEngine({ dir: join(work, 'e'), containerdStore: true })]);
    root = createFixtureWorkspace(images, { imageNamePrefix: prefix, platforms, provenance: 'max' });
    await buildHelloPrograms(join(root, 'docker', 'base'), ['amd64', 'arm64']);
    writeReleaseConfig(root, registry.address, prefix, images.map((image) => image.root));
    await initRepository(root, 'feat: images for two platforms');
  }, 180_000);

  afterAll(async () => {
    if (root) removeFixtureWorkspace(root);
    if (engine) {
      await removeFixtureImages((repository) => repository.includes(prefix), engine.env);
      await engine.wipe();
    }
    await registry?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('builds base and dependent for both platforms; each platform of the dependent runs on the same platform of the base', async () => {
    const run = await nx(['run-many', '-t', 'docker-build']);
    expectSuccess(run);
    expect(run.outcomes).toEqual({ base: 'built', one: 'built' });
    expect(run.output).toMatch(/\[linux\/arm64[^\]]*\] RUN --mount=type=secret,id=ca \["\/hello", "\/built.txt"\]/);
    for (const arch of ['amd64', 'arm64']) {
      expect(await docker(['run', '--rm', '--platform', `linux/${arch}`, contentTagRef('one')])).toBe(`running on ${arch}, built on ${arch}`);
    }
    // Nx's cache holds: the next run builds nothing.
    expect((await nx(['run-many', '-t', 'docker-build'])).outcomes).toEqual({ base: 'cache', one: 'cache' });
  }, 240_000);

  it('nx release pushes one manifest list per image with both platforms and a provenance that holds no CA; publishing again is a no-op', async () => {
    expectSuccess(await nx(['release', '--dockerVersion=1.0.0', '--yes']));
    for (const project of ['base', 'one']) {
      const manifest = JSON.parse(await docker(['buildx', 'imagetools', 'inspect', '--format', '{{json .Manifest}}', released(project)]));
      expect(manifest.mediaType).toBe('application/vnd.oci.image.index.v1+json');
      const listed = (manifest.manifests as { platform: { os: string; architecture: string } }[]).map(({ platform }) => `${platform.os}/${platform.architecture}`);
      expect(listed.filter((platform) => platform !== 'unknown/unknown').sort()).toEqual(platforms);
    }
    const provenance = await docker(['buildx', 'imagetools', 'inspect', '--format', '{{json .Provenance}}', released('one')]);
    type Provenance = {
      SLSA: {
        buildConfig?: { llbDefinition?: unknown[] };
        invocation: { parameters: { secrets?: { id: string }[] } };
        metadata: { 'https://mobyproject.org/buildkit@v1#metadata': { source: { infos: { filename: string; data: string }[] } } };
      };
    };
    const byPlatform = JSON.parse(provenance) as Record<string, Provenance>;
    expect(Object.keys(byPlatform).sort()).toEqual(platforms);
    // mode=max: every build step (the LLB) and the Dockerfile itself, per platform; the secret by its id only.
    const arm64 = byPlatform['linux/arm64'].SLSA;
    expect(arm64.buildConfig?.llbDefinition?.length).toBeGreaterThan(0);
    const dockerfile = arm64.metadata['https://mobyproject.org/buildkit@v1#metadata'].source.infos.find((info) => info.filename === 'Dockerfile');
    expect(Buffer.from(dockerfile?.data ?? '', 'base64').toString()).toContain('RUN --mount=type=secret,id=ca');
    expect(arm64.invocation.parameters.secrets).toEqual([expect.objectContaining({ id: 'ca' })]);
    expect(provenance).not.toContain(caMarker);
    expect(provenance).not.toContain(caFile);

    const again = await nx(['release', 'publish']);
    expectSuccess(again);
    expect(again.output).toContain(`${released('one')} is already published with this image`);
  }, 300_000);
});
