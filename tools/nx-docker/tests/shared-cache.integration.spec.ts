import {
  cacheRegistrySkipReason,
  secondEngineSkipReason,
  startCacheRegistry,
  startNxCacheServer,
  startSecondEngine,
  type CacheRegistry,
  type NxCacheServer,
  type SecondEngine,
} from '@posestack/test-stack';
import { execa } from 'execa';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImageRecord, toImageRecordHash } from '../src/core/registry/image-record';
import { createFixtureWorkspace, removeFixtureWorkspace, writeFile, type FixtureImage } from './support/fixture-workspace';
import { runNx, type NxRun } from './support/run-nx';

/**
 * Build once, use anywhere, with real parts only: two Docker engines (second dockerds with their own stores,
 * both on the containerd image store so layer caches export) stand for two CI runners; they share a real
 * distribution registry and the workspace's Nx remote cache server, nothing else. Each runner has its own
 * checkout and its own local Nx cache.
 */

const skipReason = secondEngineSkipReason() ?? cacheRegistrySkipReason();
if (skipReason) console.warn(`shared-cache.integration.spec: skipped, ${skipReason}`);
const describeShared = skipReason ? describe.skip : describe;

const prefix = `nxsc-${process.pid}`;
const token = 'shared-cache-test-token';
const images: FixtureImage[] = [
  { root: 'docker/base', dockerfile: 'FROM scratch\nCOPY base.txt /base.txt\n', files: { 'base.txt': 'base\n' } },
  {
    root: 'apps/one',
    dockerfile: `FROM ${prefix}/base\nCOPY big.txt /big.txt\nCOPY one.txt /one.txt\n`,
    files: { 'big.txt': 'a layer that stays\n'.repeat(2000), 'one.txt': 'one v1\n' },
  },
  {
    root: 'apps/two',
    dockerfile: `FROM ${prefix}/base\nCOPY two.txt /two.txt\n`,
    files: { 'two.txt': 'two\n' },
    // A cacheable task that is not an image: shared through the Nx remote cache alone.
    targets: {
      notes: {
        executor: 'nx:run-commands',
        cache: true,
        inputs: ['{projectRoot}/two.txt'],
        outputs: ['{workspaceRoot}/dist/notes'],
        options: { command: 'node -e "require(\'fs\').mkdirSync(\'dist/notes\',{recursive:true});require(\'fs\').writeFileSync(\'dist/notes/n.txt\',\'n\')"' },
      },
    },
  },
];

describeShared('images and the Nx cache shared across two engines', () => {
  let work: string;
  let registry: CacheRegistry;
  let cacheServer: NxCacheServer;
  let engineA: SecondEngine;
  let engineB: SecondEngine;
  let checkoutA: string;
  let checkoutB: string;
  let registryEnv: Record<string, string>;

  const runOn = (engine: SecondEngine, checkout: string, args: string[], extra: Record<string, string> = {}) =>
    runNx(checkout, args, { DOCKER_HOST: engine.dockerHost, ...registryEnv, ...extra });
  const buildAll = (engine: SecondEngine, checkout: string) => runOn(engine, checkout, ['run-many', '-t', 'docker-build']);
  const imageIdOn = async (engine: SecondEngine, ref: string) =>
    (await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { env: engine.env })).stdout;
  const imageJson = (checkout: string, project: string): { contentTag: string; contentKey: string; registryDigest?: string } =>
    JSON.parse(readFileSync(join(checkout, 'dist', 'docker', project, 'image.json'), 'utf8'));
  const contentTag = (checkout: string, project: string): string => imageJson(checkout, project).contentTag;
  /** The digest recorded for a content key, read from the Nx remote cache as any runner reads it. */
  const recordedDigest = async (contentKey: string): Promise<string> => {
    const response = await fetch(`${cacheServer.url}/v1/cache/${toImageRecordHash(contentKey)}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const decoded = decodeImageRecord(Buffer.from(await response.arrayBuffer()), contentKey);
    if (!('record' in decoded)) throw new Error(decoded.error);
    return decoded.record.digest;
  };
  const hasImageOn = async (engine: SecondEngine, ref: string) => (await execa('docker', ['image', 'inspect', ref], { env: engine.env, reject: false })).exitCode === 0;

  function expectOutcomes(run: NxRun, expected: NxRun['outcomes']): void {
    if (run.exitCode !== 0 || JSON.stringify(run.outcomes) !== JSON.stringify(expected)) console.log(run.output.slice(-8000));
    expect(run.exitCode).toBe(0);
    expect(run.outcomes).toEqual(expected);
  }

  beforeAll(async () => {
    // Short: the engines' sockets live under it (a Unix socket path has at most 107 bytes).
    work = mkdtempSync(join(tmpdir(), 'nxsc-'));
    registry = await startCacheRegistry(join(work, 'registry'));
    cacheServer = await startNxCacheServer({ dir: join(work, 'nx-cache'), readWriteTokens: [token] });
    [engineA, engineB] = await Promise.all([
      startSecondEngine({ dir: join(work, 'a'), containerdStore: true }),
      startSecondEngine({ dir: join(work, 'b'), containerdStore: true }),
    ]);
    registryEnv = {
      NX_DOCKER_CACHE_REGISTRY: `http://${registry.address}/cache`,
      NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cacheServer.url,
      NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token,
    };
    checkoutA = createFixtureWorkspace(images, { imageNamePrefix: prefix });
    // Runner B's checkout: the same sources, nothing built, its own (empty) local Nx cache.
    checkoutB = mkdtempSync(join(tmpdir(), 'nx-docker-fixture-'));
    cpSync(checkoutA, checkoutB, { recursive: true, verbatimSymlinks: true });
  }, 180_000);

  afterAll(async () => {
    for (const checkout of [checkoutA, checkoutB]) if (checkout) removeFixtureWorkspace(checkout);
    await Promise.allSettled([engineA?.wipe(), engineB?.wipe(), cacheServer?.stop(), registry?.stop()]);
    if (work) rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('runner A builds and pushes; runner B restores every image with the same id, then hits', async () => {
    const a = await buildAll(engineA, checkoutA);
    expectOutcomes(a, { base: 'built', one: 'built', two: 'built' });
    expect(a.output).toMatch(/pushed \S+\/cache\/nxsc-\d+\/one:nx-[0-9a-f]{16} in [\d.]+ s as sha256:[0-9a-f]{64}/);
    // Each push's digest is recorded in the Nx remote cache, under a hash of the content key alone.
    expect(a.output.match(/^recorded \S+:nx-[0-9a-f]{16} as sha256:[0-9a-f]{64} in the Nx remote cache \(entry \d+\)$/gm)).toHaveLength(3);
    // Nothing was in the registry yet: no note about digests that could not be verified.
    expect(a.output).not.toMatch(/could not be verified/);
    expect(a.output).not.toMatch(/layer cache not exported/);
    expectOutcomes(await runOn(engineA, checkoutA, ['run', 'two:notes']), {});

    const b = await buildAll(engineB, checkoutB);
    expectOutcomes(b, { base: 'restored', one: 'restored', two: 'restored' });
    expect(b.output).not.toMatch(/^building /m);
    // By the digests A recorded, never by the tags.
    for (const project of ['base', 'one', 'two']) {
      const digest = imageJson(checkoutA, project).registryDigest;
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(b.output).toContain(`restored from ${registry.address}/cache/${prefix}/${project}@${digest} in `);
      expect(imageJson(checkoutB, project).registryDigest).toBe(digest);
    }
    expect(b.output).not.toMatch(/could not be verified|tampered/);
    for (const project of ['base', 'one', 'two']) {
      const ref = `${prefix}/${project}:${contentTag(checkoutB, project)}`;
      expect(contentTag(checkoutB, project)).toBe(contentTag(checkoutA, project));
      expect(await imageIdOn(engineB, ref)).toBe(await imageIdOn(engineA, ref));
      expect(await imageIdOn(engineB, `${prefix}/${project}:latest`)).toBe(await imageIdOn(engineB, ref));
    }
    expectOutcomes(await buildAll(engineB, checkoutB), { base: 'cache', one: 'cache', two: 'cache' });
    // A re-tag run of an image that is already shared keeps it recorded as shared: the run after it hits.
    await execa('docker', ['image', 'rm', `${prefix}/one:latest`], { env: { ...process.env, DOCKER_HOST: engineB.dockerHost } });
    expectOutcomes(await buildAll(engineB, checkoutB), { base: 'cache', one: 'reused', two: 'cache' });
    expectOutcomes(await buildAll(engineB, checkoutB), { base: 'cache', one: 'cache', two: 'cache' });
  });

  it('gives runner B a remote-cache hit for a task cached on runner A', async () => {
    const run = await runOn(engineB, checkoutB, ['run', 'two:notes']);
    expect(run.exitCode).toBe(0);
    expect(run.output).toMatch(/two:notes\s+\[remote cache\]/);
    expect(readFileSync(join(checkoutB, 'dist', 'notes', 'n.txt'), 'utf8')).toBe('n');
  });

  it('rebuilds only the edited service on B, its unchanged layers from the registry cache', async () => {
    writeFile(checkoutB, 'apps/one/one.txt', 'one v2\n');
    const run = await buildAll(engineB, checkoutB);
    expectOutcomes(run, { base: 'cache', one: 'built', two: 'cache' });
    expect(run.output).toMatch(/importing cache manifest from \S+\/one:buildcache/);
    expect(run.output).toMatch(/COPY big\.txt \/big\.txt\n#\d+ CACHED/);
  });

  it('builds locally with one warning while the registry is down, and pushes what is missing once it is back', async () => {
    await registry.stop();
    writeFile(checkoutB, 'apps/two/two.txt', 'two v2\n');
    const down = await buildAll(engineB, checkoutB);
    expectOutcomes(down, { base: 'cache', one: 'cache', two: 'built' });
    expect(down.output.match(/the cache registry \S+ is not reachable/g)).toHaveLength(1);
    registry = await startCacheRegistry(join(work, 'registry'));
    registryEnv.NX_DOCKER_CACHE_REGISTRY = `http://${registry.address}/cache`;
    // Same storage, so it is the same registry; only the (free) port may differ, and the reference with it.
    const up = await buildAll(engineB, checkoutB);
    expect(up.exitCode).toBe(0);
    expect(up.output).toMatch(new RegExp(`pushed \\S+/cache/${prefix}/two:${contentTag(checkoutB, 'two')} in`));
    expectOutcomes(await buildAll(engineB, checkoutB), { base: 'cache', one: 'cache', two: 'cache' });
    // A re-tag run of an image that is already shared keeps it recorded as shared: the run after it hits.
    await execa('docker', ['image', 'rm', `${prefix}/one:latest`], { env: { ...process.env, DOCKER_HOST: engineB.dockerHost } });
    expectOutcomes(await buildAll(engineB, checkoutB), { base: 'cache', one: 'reused', two: 'cache' });
    expectOutcomes(await buildAll(engineB, checkoutB), { base: 'cache', one: 'cache', two: 'cache' });
  });

  it('restores the recorded digest when the content tag was forged with the right label, and never pulls the forged image', async () => {
    // Someone who can push replaces B's current "one" content tag with an image of their own that carries the
    // same content-key label: a label check alone would take it.
    const { contentKey } = imageJson(checkoutB, 'one');
    const recorded = await recordedDigest(contentKey);
    const tag = contentTag(checkoutB, 'one');
    const target = `${registry.address}/cache/${prefix}/one:${tag}`;
    const forgery = join(work, 'forgery');
    mkdirSync(forgery, { recursive: true });
    writeFileSync(join(forgery, 'Dockerfile'), `FROM scratch\nLABEL dev.posestack.nx-docker.content-key=${contentKey}\nCOPY forged.txt /forged.txt\n`);
    writeFileSync(join(forgery, 'forged.txt'), 'not what was built\n');
    await execa('docker', ['buildx', 'build', '--load', '--tag', target, forgery], { env: engineA.env });
    await execa('docker', ['push', '--quiet', target], { env: engineA.env });
    const forgedId = await imageIdOn(engineA, target);
    const original = await imageIdOn(engineB, `${prefix}/one:${tag}`);
    await execa('docker', ['image', 'rm', `${prefix}/one:latest`, `${prefix}/one:${tag}`], { env: engineB.env });

    const run = await buildAll(engineB, checkoutB);
    expectOutcomes(run, { base: 'cache', one: 'restored', two: 'cache' });
    expect(run.output).toMatch(
      new RegExp(`the content tag ${target.replace(/[.]/g, '\\.')} in the cache registry was tampered with: it points at sha256:[0-9a-f]{64}, but the digest recorded when it was pushed is ${recorded}`),
    );
    expect(run.output).toContain(`restored from ${registry.address}/cache/${prefix}/one@${recorded} in `);
    expect(await imageIdOn(engineB, `${prefix}/one:${tag}`)).toBe(original);
    // The forged image never reached B: it can neither have run nor be run there.
    expect(forgedId).not.toBe(original);
    expect(await hasImageOn(engineB, forgedId)).toBe(false);
    expect(await hasImageOn(engineB, target)).toBe(false);
  });

  it('builds when the recorded digest is gone from the registry, and leaves the forged tag alone', async () => {
    const recorded = await recordedDigest(imageJson(checkoutB, 'one').contentKey);
    const tag = contentTag(checkoutB, 'one');
    const deleted = await fetch(`http://${registry.address}/v2/cache/${prefix}/one/manifests/${recorded}`, { method: 'DELETE' });
    expect(deleted.status).toBe(202);
    await execa('docker', ['image', 'rm', `${prefix}/one:latest`, `${prefix}/one:${tag}`], { env: engineB.env });
    const run = await buildAll(engineB, checkoutB);
    expectOutcomes(run, { base: 'cache', one: 'built', two: 'cache' });
    expect(run.output).toContain(`the recorded digest ${registry.address}/cache/${prefix}/one@${recorded} is not in the cache registry`);
    expect(run.output).toMatch(/in the cache registry was tampered with/);
    expect(run.output).toContain(`${registry.address}/cache/${prefix}/one:${tag} is already in the cache registry: left as it is`);
  });

  it('without a digest record (no Nx remote cache), refuses a tag whose label is another key, saying the digest was not verified', async () => {
    // Someone overwrites B's current "one" content tag in the registry with the base image.
    const target = `${registry.address}/cache/${prefix}/one:${contentTag(checkoutB, 'one')}`;
    await execa('docker', ['image', 'tag', `${prefix}/base:latest`, target], { env: engineA.env });
    await execa('docker', ['push', '--quiet', target], { env: engineA.env });
    await execa('docker', ['image', 'rm', `${prefix}/one:latest`, `${prefix}/one:${contentTag(checkoutB, 'one')}`], { env: engineB.env });
    const run = await runOn(engineB, checkoutB, ['run-many', '-t', 'docker-build'], { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: '' });
    expectOutcomes(run, { base: 'cache', one: 'built', two: 'cache' });
    expect(run.output).toContain(`the digest of ${target} could not be verified: no Nx remote cache is configured`);
    expect(run.output).toMatch(/refused \S+\/one:nx-[0-9a-f]{16} from the cache registry: its dev\.posestack\.nx-docker\.content-key label is/);
  });
});
