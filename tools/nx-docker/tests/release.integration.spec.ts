import { cacheRegistrySkipReason, startCacheRegistry, type CacheRegistry } from '@posestack/test-stack';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFixtureWorkspace, removeFixtureWorkspace, writeFile, type FixtureImage } from './support/fixture-workspace';
import { git, initRepository, removeFixtureImages, writeReleaseConfig } from './support/release-fixture';
import { runNx, type NxRun } from './support/run-nx';

/**
 * nx release for image projects against the real engine, a real distribution registry and Nx's own release
 * command (its docker version step from @nx/docker): a fixture workspace in a git repository, images FROM
 * scratch under a prefix of this run only.
 */

const skipReason = cacheRegistrySkipReason();
if (skipReason) console.warn(`release.integration.spec: skipped, ${skipReason}`);

const prefix = `i15-release-${process.pid}`;
const images: FixtureImage[] = [
  { root: 'docker/base', dockerfile: 'FROM scratch\nCOPY base.txt /base.txt\n', files: { 'base.txt': 'base\n' } },
  { root: 'apps/one', dockerfile: `FROM ${prefix}/base\nCOPY one.txt /one.txt\n`, files: { 'one.txt': 'one v1\n' } },
];

(skipReason ? describe.skip : describe)('nx release for image projects', () => {
  let work: string;
  let root: string;
  let registry: CacheRegistry;
  let repo: (project: string) => string;
  const nx = (args: string[], env: Record<string, string> = {}) => runNx(root, args, env);
  const imageId = async (ref: string) => (await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', ref])).stdout;
  const contentTagRef = (project: string) => `${prefix}/${project}:${JSON.parse(readFileSync(join(root, 'dist', 'docker', project, 'image.json'), 'utf8')).contentTag}`;
  const registryTags = async (project: string) =>
    (((await (await fetch(`http://${registry.address}/v2/${prefix}/${project}/tags/list`)).json()) as { tags?: string[] }).tags ?? []).sort();

  function expectSuccess(run: NxRun): void {
    if (run.exitCode !== 0) console.log(run.output.slice(-8000));
    expect(run.exitCode).toBe(0);
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'i15-release-'));
    registry = await startCacheRegistry(join(work, 'registry'));
    repo = (project) => `${registry.address}/${prefix}/${project}`;
    root = createFixtureWorkspace(images, { imageNamePrefix: prefix });
    writeReleaseConfig(root, registry.address, prefix, images.map((image) => image.root));
    await initRepository(root, 'feat: fixture images');
    expectSuccess(await nx(['run-many', '-t', 'docker-build']));
  }, 180_000);

  afterAll(async () => {
    if (root) {
      await removeFixtureImages((repository) => repository.includes(prefix) || repository === 'docker-base' || repository === 'apps-one');
      removeFixtureWorkspace(root);
    }
    await registry?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('nx release --dry-run shows each image version from the docker version scheme and tags and pushes nothing', async () => {
    // NX_DRY_RUN as well: Nx 23.2.1's docker version step reads only that (docs/releasing-images.md).
    const run = await nx(['release', '--dry-run', '--yes', '--dockerVersionScheme=production'], { NX_DRY_RUN: 'true' });
    expectSuccess(run);
    const sha = (await execa('git', ['rev-parse', '--short=7', 'HEAD'], { cwd: root })).stdout;
    const now = new Date();
    const date = `${String(now.getUTCFullYear()).slice(-2)}${String(now.getUTCMonth() + 1).padStart(2, '0')}.${String(now.getUTCDate()).padStart(2, '0')}`;
    expect(run.output).toContain(`Image would be tagged with ${repo('one')}:${date}.${sha} but dry run is enabled.`);
    expect(run.output).toContain(`Image would be tagged with ${repo('base')}:${date}.${sha} but dry run is enabled.`);
    expect(run.output).toContain(`would publish ${contentTagRef('one')} as docker version ${date}.${sha} (dry run: nothing was tagged)`);
    await expect(imageId(`${repo('one')}:${date}.${sha}`)).rejects.toThrow();
    expect(await registryTags('one')).toEqual([]);
  });

  it('nx release tags the built content-tagged image without a rebuild and pushes it; publishing again is a no-op', async () => {
    const release = await nx(['release', '--dockerVersion=1.0.0', '--yes']);
    expectSuccess(release);
    expect(release.output).not.toMatch(/^building /m);
    expect(release.output).toContain(`Image tagged with ${repo('one')}:1.0.0.`);
    expect(release.output).toMatch(new RegExp(`pushed ${repo('one')}:1\\.0\\.0 in [\\d.]+ s: ${repo('one')}:1\\.0\\.0 is ${contentTagRef('one')}`));
    expect(await imageId(`${repo('one')}:1.0.0`)).toBe(await imageId(contentTagRef('one')));
    expect(await registryTags('one')).toEqual(['1.0.0']);
    expect(await registryTags('base')).toEqual(['1.0.0']);

    const again = await nx(['release', 'publish']);
    expectSuccess(again);
    expect(again.output).toContain(`${repo('one')}:1.0.0 is already published with this image`);
    expect(again.output).not.toMatch(/^pushed /m);
    // Two nx release runs: minutes when the machine's two cores are shared.
  }, 300_000);

  it('refuses to publish a changed image under a version the registry already holds', async () => {
    const published = (await execa('docker', ['manifest', 'inspect', '--insecure', `${repo('one')}:1.0.0`])).stdout;
    writeFile(root, 'apps/one/one.txt', 'one v2\n');
    expectSuccess(await nx(['run', 'one:docker-build']));
    const publish = await nx(['release', '--dockerVersion=1.0.0', '--yes', '-p', 'one']);
    expect(publish.exitCode).not.toBe(0);
    expect(publish.output).toMatch(/1\.0\.0 already exists in the registry with other content \(sha256:[0-9a-f]+.*, not sha256:[0-9a-f]+\): a version tag is never overwritten/);
    expect((await execa('docker', ['manifest', 'inspect', '--insecure', `${repo('one')}:1.0.0`])).stdout).toBe(published);
  });

  it('turns a semver version Nx derives from conventional commits into the image tag', async () => {
    const nxJson = JSON.parse(readFileSync(join(root, 'nx.json'), 'utf8'));
    nxJson.release.docker = { ...nxJson.release.docker, skipVersionActions: false, versionSchemes: { semver: '{versionActionsVersion}' } };
    nxJson.release.version = {
      versionActions: './tools/nx-docker/src/release/version-actions.ts',
      conventionalCommits: true,
    };
    writeFileSync(join(root, 'nx.json'), `${JSON.stringify(nxJson, null, 2)}\n`);
    await git(root, ['add', '-A']);
    await git(root, ['commit', '-q', '-m', 'chore: semver for images']);
    await git(root, ['tag', 'one@1.0.0']);
    await git(root, ['tag', 'base@1.0.0']);
    writeFile(root, 'apps/one/one.txt', 'one v3\n');
    await git(root, ['commit', '-q', '-am', 'feat(one): a new file content']);
    const run = await nx(['release', '--dry-run', '--skip-publish', '-p', 'one'], { NX_DRY_RUN: 'true' });
    expectSuccess(run);
    expect(run.output).toMatch(/semver relative bump "minor".*to get new version 1\.1\.0/);
    expect(run.output).toContain(`Image would be tagged with ${repo('one')}:1.1.0 but dry run is enabled.`);
  });
});
