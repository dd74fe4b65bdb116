import type { ExecutorContext } from '@nx/devkit';
import { cacheRegistrySkipReason, startCacheRegistry, type CacheRegistry } from '@posestack/test-stack';
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOwnPluginOptions } from '../src/core/options/plugin-options';
import dockerPruneExecutor from '../src/executors/docker-prune/docker-prune.impl';

/**
 * docker-prune against the real engine and a real distribution registry: fixture images FROM scratch, their
 * creation times set through SOURCE_DATE_EPOCH so "newest" is exact, all under a prefix of this run only.
 */

const skipReason = cacheRegistrySkipReason();
if (skipReason) console.warn(`docker-prune.integration.spec: skipped, ${skipReason}`);

const prefix = `i11-prune-${process.pid}`;
const outsider = `i11-other-${process.pid}/base`;
const key = (n: number) => `nx-${String(n).padStart(16, '0')}`;
let root: string;
let registry: CacheRegistry;
let cacheRef: (ref: string) => string;

async function buildFixture(ref: string, content: string, epoch: number): Promise<void> {
  const context = join(root, 'context');
  mkdirSync(context, { recursive: true });
  writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nCOPY f /f\n');
  writeFileSync(join(context, 'f'), content);
  await execa('docker', ['buildx', 'build', '--quiet', '--load', '--build-arg', `SOURCE_DATE_EPOCH=${epoch}`, '-t', ref, context]);
}

async function localTags(repository: string): Promise<string[]> {
  const { stdout } = await execa('docker', ['image', 'ls', repository, '--format', '{{.Tag}}']);
  return stdout.split('\n').filter(Boolean).sort();
}

async function registryTags(repository: string): Promise<string[]> {
  const response = await fetch(`http://${registry.address}/v2/cache/${repository}/tags/list`);
  return (((await response.json()) as { tags?: string[] }).tags ?? []).sort();
}

async function prune(options: Parameters<typeof dockerPruneExecutor>[0]): Promise<{ success: boolean; output: string }> {
  const lines: string[] = [];
  const capture = (...args: unknown[]) => void lines.push(args.join(' '));
  const spies = [jest.spyOn(console, 'log').mockImplementation(capture), jest.spyOn(console, 'warn').mockImplementation(capture), jest.spyOn(console, 'error').mockImplementation(capture)];
  try {
    const context = { root, nxJsonConfiguration: { plugins: [{ plugin: '@posestack/nx-docker', options: { imageNamePrefix: prefix } }] } } as unknown as ExecutorContext;
    // Before anything is removed: the executor must see this run's prefix, never the workspace's real one.
    expect(findOwnPluginOptions(context.nxJsonConfiguration.plugins, root).imageNamePrefix).toBe(prefix);
    const result = await dockerPruneExecutor(options, context);
    return { ...result, output: lines.join('\n') };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

(skipReason ? describe.skip : describe)('docker-prune', () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'nx-docker-prune-'));
    registry = await startCacheRegistry(join(root, 'registry'));
    cacheRef = (ref) => `${registry.address}/cache/${ref}`;
    for (const n of [1, 2, 3, 4, 5]) {
      await buildFixture(`${prefix}/base:${key(n)}`, `base ${n}`, 1_700_000_000 + n * 1000);
      await execa('docker', ['image', 'tag', `${prefix}/base:${key(n)}`, cacheRef(`${prefix}/base:${key(n)}`)]);
      await execa('docker', ['image', 'push', '--quiet', cacheRef(`${prefix}/base:${key(n)}`)]);
    }
    // An old content tag that `latest` still points at, and a content tag outside the workspace's prefix.
    await buildFixture(`${prefix}/svc:${key(6)}`, 'svc', 1_600_000_000);
    await execa('docker', ['image', 'tag', `${prefix}/svc:${key(6)}`, `${prefix}/svc:latest`]);
    await buildFixture(`${prefix}/svc:${key(7)}`, 'svc 2', 1_600_000_100);
    await buildFixture(`${prefix}/svc:${key(9)}`, 'svc 3', 1_600_000_200);
    await buildFixture(`${outsider}:${key(8)}`, 'outsider', 1_500_000_000);
    // This checkout's image.json names the oldest base build.
    mkdirSync(join(root, 'dist/docker/base'), { recursive: true });
    writeFileSync(
      join(root, 'dist/docker/base/image.json'),
      JSON.stringify({ image: `${prefix}/base`, contentTag: key(1), tags: [`${prefix}/base:latest`, `${prefix}/base:${key(1)}`] }),
    );
  });

  afterAll(async () => {
    const { stdout } = await execa('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
    const ours = stdout.split('\n').filter((ref) => ref.includes(`i11-prune-${process.pid}/`) || ref.startsWith(`i11-other-${process.pid}/`));
    if (ours.length > 0) await execa('docker', ['image', 'rm', '--force', ...ours]);
    await registry?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('with dryRun lists what it would remove and removes nothing, in the cache registry in force too', async () => {
    const inherited = process.env.NX_DOCKER_CACHE_REGISTRY;
    process.env.NX_DOCKER_CACHE_REGISTRY = `http://${registry.address}/cache`;
    const run = await prune({ keepNewest: 1, dryRun: true, inCacheRegistry: true }).finally(() => {
      if (inherited === undefined) delete process.env.NX_DOCKER_CACHE_REGISTRY;
      else process.env.NX_DOCKER_CACHE_REGISTRY = inherited;
    });
    expect(run.success).toBe(true);
    expect(run.output).toContain(`would remove ${prefix}/base:${key(2)}`);
    expect(run.output).toContain(`would remove ${registry.address}/cache/${prefix}/base:${key(2)}`);
    expect(await localTags(`${prefix}/base`)).toHaveLength(5);
    expect(await registryTags(`${prefix}/base`)).toHaveLength(5);
  });

  it('removes only stale content tags, locally and in the registry', async () => {
    const run = await prune({ keepNewest: 2, registry: `http://${registry.address}/cache` });
    expect(run.success).toBe(true);
    // Kept: key 1 (named by image.json), keys 5 and 4 (newest 2). Removed: keys 3 and 2.
    expect(await localTags(`${prefix}/base`)).toEqual([key(1), key(4), key(5)]);
    expect(await registryTags(`${prefix}/base`)).toEqual([key(1), key(4), key(5)]);
    const gone = await fetch(`http://${registry.address}/v2/cache/${prefix}/base/manifests/${key(2)}`);
    expect(gone.status).toBe(404);
    // svc: keys 9 and 7 as the newest, and the oldest, key 6, because latest points at its image.
    expect(await localTags(`${prefix}/svc`)).toEqual(['latest', key(6), key(7), key(9)]);
    expect(await localTags(outsider)).toEqual([key(8)]);
    expect(run.output).toContain('local store: removed 2 stale content tag(s)');
    expect(run.output).toContain(`registry ${registry.address}/cache: removed 2 stale content tag(s)`);
  });

  it('says which option is wrong', async () => {
    const run = await prune({ keepNewest: -1 });
    expect(run.success).toBe(false);
    expect(run.output).toMatch(/Invalid docker-prune options[\s\S]*keepNewest/);
    // CI may set a real one; this case needs none.
    const inherited = process.env.NX_DOCKER_CACHE_REGISTRY;
    delete process.env.NX_DOCKER_CACHE_REGISTRY;
    const noRegistry = await prune({ inCacheRegistry: true }).finally(() => {
      if (inherited !== undefined) process.env.NX_DOCKER_CACHE_REGISTRY = inherited;
    });
    expect(noRegistry.success).toBe(false);
    expect(noRegistry.output).toMatch(/no cache registry is in force: set NX_DOCKER_CACHE_REGISTRY/);
  });
});
