import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createFixtureWorkspace, removeFixtureWorkspace, writeFile, writeImageProject, type FixtureImage } from './support/fixture-workspace';
import { runNx, type NxRun } from './support/run-nx';

/**
 * End to end against the real Docker engine and the real nx CLI, on a throw-away workspace whose
 * images are FROM scratch + COPY (about a second each). Images use a unique prefix and are removed after.
 */

const prefix = `nxdt-${process.pid}`;
let workspace: string;

async function localTags(): Promise<string[]> {
  const { stdout } = await execa('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
  return stdout.split('\n').filter((tag) => tag.startsWith(`${prefix}/`));
}

async function removeAllFixtureImages(): Promise<void> {
  const tags = await localTags();
  if (tags.length > 0) await execa('docker', ['image', 'rm', '--force', ...tags]);
}

function imageJson(project: string): { contentTag: string; imageId: string; bases: { imageRef: string }[] } {
  return JSON.parse(readFileSync(join(workspace, 'dist', 'docker', project, 'image.json'), 'utf8'));
}

async function layerCount(ref: string): Promise<number> {
  const { stdout } = await execa('docker', ['image', 'inspect', '--format', '{{len .RootFS.Layers}}', ref]);
  return Number(stdout);
}

const buildAll = () => runNx(workspace, ['run-many', '-t', 'docker-build']);

function expectOutcomes(run: NxRun, expected: NxRun['outcomes']): void {
  if (run.exitCode !== 0) console.log(run.output);
  expect(run.exitCode).toBe(0);
  expect(run.outcomes).toEqual(expected);
}

beforeAll(() => {
  workspace = createFixtureWorkspace(
    [
      {
        root: 'docker/base',
        dockerfile: 'FROM scratch\nCOPY base.txt /base.txt\n',
        files: { 'base.txt': 'base v1\n', '.dockerignore': '**/*.log\nproject.json\n', 'notes.log': 'ignored\n' },
      },
      {
        root: 'apps/svc',
        dockerfile: `ARG BASE=${prefix}/base\nFROM \${BASE}\nCOPY svc.txt /svc.txt\n`,
        files: { 'svc.txt': 'svc v1\n', '.dockerignore': 'project.json\n' },
      },
    ],
    { imageNamePrefix: prefix },
  );
});

afterAll(async () => {
  await removeAllFixtureImages();
  if (workspace) removeFixtureWorkspace(workspace);
});

describe('docker-build through nx', () => {
  it('builds the base before the service, which uses exactly that base build', async () => {
    const run = await buildAll();
    expectOutcomes(run, { base: 'built', svc: 'built' });
    expect(run.output.indexOf(`building ${prefix}/base:`)).toBeLessThan(run.output.indexOf(`building ${prefix}/svc:`));
    const base = imageJson('base');
    expect(imageJson('svc').bases.map((b) => b.imageRef)).toEqual([`${prefix}/base:${base.contentTag}`]);
    expect(run.output).toContain(`base ${prefix}/base <- workspace build ${prefix}/base:${base.contentTag}`);
    expect(await layerCount(`${prefix}/svc:latest`)).toBe(2);
    // The host's CA bundle goes in as a secret; its path is never logged nor labelled.
    const caFile = process.env.SSL_CERT_FILE;
    if (caFile && existsSync(caFile)) {
      expect(run.output).toContain('corporate CA passed as secret id=ca');
      const { stdout: labels } = await execa('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', `${prefix}/svc:latest`]);
      expect(labels).not.toContain(caFile);
    }
  });

  it('hits the Nx cache on the very next run without changes', async () => {
    expectOutcomes(await buildAll(), { base: 'cache', svc: 'cache' });
  });

  it('re-tags instead of building when the image is there but its recorded state is not', async () => {
    rmSync(join(workspace, '.nx', 'cache', 'nx-docker-image-states'), { recursive: true });
    const run = await buildAll();
    expectOutcomes(run, { base: 'reused', svc: 'reused' });
    expectOutcomes(await buildAll(), { base: 'cache', svc: 'cache' });
  });

  it('rebuilds nothing when an ignored file changes', async () => {
    writeFile(workspace, 'docker/base/notes.log', 'still ignored\n');
    expectOutcomes(await buildAll(), { base: 'cache', svc: 'cache' });
  });

  it('rebuilds only the service when the service changes', async () => {
    writeFile(workspace, 'apps/svc/svc.txt', 'svc v2\n');
    expectOutcomes(await buildAll(), { base: 'cache', svc: 'built' });
  });

  it('rebuilds both when the base changes, and the service pins the new base', async () => {
    const oldBase = imageJson('base').contentTag;
    writeFile(workspace, 'docker/base/base.txt', 'base v2\n');
    expectOutcomes(await buildAll(), { base: 'built', svc: 'built' });
    expect(imageJson('base').contentTag).not.toBe(oldBase);
    expect(imageJson('svc').bases[0].imageRef).toBe(`${prefix}/base:${imageJson('base').contentTag}`);
  });

  it('ends with every image present after docker image rm of a cached image', async () => {
    expectOutcomes(await buildAll(), { base: 'cache', svc: 'cache' });
    const svcTag = `${prefix}/svc:${imageJson('svc').contentTag}`;
    await execa('docker', ['image', 'rm', svcTag, `${prefix}/svc:latest`]);
    expectOutcomes(await buildAll(), { base: 'cache', svc: 'built' });
    expect(await localTags()).toContain(svcTag);
  });

  it('ends with every image present from an empty store and a warm Nx cache', async () => {
    const expectedTags = [`${prefix}/base:${imageJson('base').contentTag}`, `${prefix}/svc:${imageJson('svc').contentTag}`];
    await removeAllFixtureImages();
    expectOutcomes(await buildAll(), { base: 'built', svc: 'built' });
    expect(await localTags()).toEqual(expect.arrayContaining([...expectedTags, `${prefix}/base:latest`, `${prefix}/svc:latest`]));
    expect(imageJson('svc').bases[0].imageRef).toBe(expectedTags[0]);
  });
});

describe('a hit leaves every promised tag on the checkout\'s image', () => {
  // Two checkouts of "the same" workspace on one engine: same image names, different content.
  const tagsPrefix = `${prefix}-tags`;
  const images = (version: string): FixtureImage[] => [
    { root: 'docker/base', dockerfile: 'FROM scratch\nCOPY base.txt /base.txt\n', files: { 'base.txt': `base ${version}\n` } },
    { root: 'apps/svc', dockerfile: `FROM ${tagsPrefix}/base\nCOPY svc.txt /svc.txt\n`, files: { 'svc.txt': `svc ${version}\n` } },
  ];
  let first: string;
  let second: string;

  const imageId = async (ref: string) => (await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', ref])).stdout;
  /** Every user tag is the image of this checkout's content tag (as recorded in its image.json). */
  async function expectTagsOf(checkout: string): Promise<void> {
    for (const project of ['base', 'svc']) {
      const { contentTag } = JSON.parse(readFileSync(join(checkout, 'dist', 'docker', project, 'image.json'), 'utf8'));
      expect(await imageId(`${tagsPrefix}/${project}:latest`)).toBe(await imageId(`${tagsPrefix}/${project}:${contentTag}`));
    }
  }
  const build = (checkout: string) => runNx(checkout, ['run-many', '-t', 'docker-build']);

  beforeAll(async () => {
    first = createFixtureWorkspace(images('one'), { imageNamePrefix: tagsPrefix });
    second = createFixtureWorkspace(images('two'), { imageNamePrefix: tagsPrefix });
    expectOutcomes(await build(first), { base: 'built', svc: 'built' });
    expectOutcomes(await build(second), { base: 'built', svc: 'built' });
  });

  afterAll(async () => {
    const { stdout } = await execa('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
    const tags = stdout.split('\n').filter((tag) => tag.startsWith(`${tagsPrefix}/`));
    if (tags.length > 0) await execa('docker', ['image', 'rm', '--force', ...tags]);
    for (const checkout of [first, second]) if (checkout) removeFixtureWorkspace(checkout);
  });

  it('re-tags, never hits, when another checkout moved :latest; then hits', async () => {
    await expectTagsOf(second);
    expectOutcomes(await build(first), { base: 'reused', svc: 'reused' });
    await expectTagsOf(first);
    expectOutcomes(await build(first), { base: 'cache', svc: 'cache' });
    expectOutcomes(await build(second), { base: 'reused', svc: 'reused' });
    await expectTagsOf(second);
    expectOutcomes(await build(second), { base: 'cache', svc: 'cache' });
  });

  it('puts the tags back after a branch switch and back', async () => {
    const git = (...args: string[]) => execa('git', args, { cwd: first, env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    await git('init', '-q', '-b', 'main');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'one');
    await git('checkout', '-q', '-b', 'feature');
    writeFile(first, 'docker/base/base.txt', 'base on a branch\n');
    await git('commit', '-q', '-am', 'branch');
    expectOutcomes(await build(first), { base: 'built', svc: 'built' });
    await git('checkout', '-q', 'main');
    expectOutcomes(await build(first), { base: 'reused', svc: 'reused' });
    await expectTagsOf(first);
    expectOutcomes(await build(first), { base: 'cache', svc: 'cache' });
  });

  it('re-tags when a foreign image was docker tag-ged onto :latest', async () => {
    await execa('docker', ['image', 'tag', `${tagsPrefix}/base:latest`, `${tagsPrefix}/svc:latest`]);
    expectOutcomes(await build(first), { base: 'cache', svc: 'reused' });
    await expectTagsOf(first);
    expectOutcomes(await build(first), { base: 'cache', svc: 'cache' });
  });
});

describe('documented errors', () => {
  it('rejects invalid options before anything runs, naming the option', async () => {
    writeImageProject(workspace, {
      root: 'apps/bad',
      dockerfile: 'FROM scratch\n',
      targets: { 'docker-build': { options: { platforms: ['linux/amd64', 'linux/arm64'], push: true, load: false } } },
    });
    const run = await runNx(workspace, ['run', 'bad:docker-build']);
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain('"push" needs registry-qualified tags');
    expect(run.output).not.toMatch(/^building /m);
    writeImageProject(workspace, {
      root: 'apps/bad',
      dockerfile: 'FROM scratch\n',
      targets: { 'docker-build': { options: { platforms: ['linux/amd64', 'linux/arm64'] } } },
    });
    const driverRun = await runNx(workspace, ['run', 'bad:docker-build']);
    expect(driverRun.output).toContain('"platforms" lists 2 platforms (linux/amd64, linux/arm64) with "load": the engine\'s classic image store');
    writeImageProject(workspace, {
      root: 'apps/bad',
      dockerfile: 'FROM scratch\n',
      targets: { 'docker-build': { options: { progress: 'loud', cacheTo: ['type=registry,ref=x'] } } },
    });
    const schemaRun = await runNx(workspace, ['run', 'bad:docker-build']);
    expect(schemaRun.exitCode).not.toBe(0);
    expect(schemaRun.output).toMatch(/progress/);
    console.log(['[bad options]', run.output, driverRun.output, schemaRun.output].join('\n').slice(0, 6000));
  });

  it('names a bad nx.json plugin option without a stack trace', async () => {
    const bad = createFixtureWorkspace([{ root: 'docker/one', dockerfile: 'FROM scratch\n' }], { imageSource: 'offline' });
    try {
      const run = await runNx(bad, ['show', 'projects']);
      expect(run.exitCode).not.toBe(0);
      expect(run.output).toMatch(/Invalid options for the nx-docker plugin[^\n]*nx\.json[\s\S]*expected one of "upstream"\|"airgap"[\s\S]*at imageSource/);
      expect(run.output).not.toMatch(/^\s+at .*\.(ts|js):\d+/m);
    } finally {
      removeFixtureWorkspace(bad);
    }
  });

  it('names a missing Dockerfile', async () => {
    writeImageProject(workspace, {
      root: 'apps/bad',
      dockerfile: 'FROM scratch\n',
      targets: { 'docker-build': { options: { dockerfile: 'apps/bad/Missing.Dockerfile' } } },
    });
    const run = await runNx(workspace, ['run', 'bad:docker-build']);
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain('Dockerfile "apps/bad/Missing.Dockerfile" of project "bad" does not exist');
    rmSync(join(workspace, 'apps', 'bad'), { recursive: true });
  });

  it('says the daemon is unreachable (DOCKER_HOST pointing nowhere), never a cache hit', async () => {
    const run = await runNx(workspace, ['run', 'base:docker-build'], { DOCKER_HOST: 'unix:///nonexistent.sock' });
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain('The Docker daemon is not reachable');
    expect(run.outcomes.base).toBe('failed');
  });

  it('says the docker CLI is missing', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'nx-docker-nodocker-'));
    try {
      symlinkSync(process.execPath, join(bin, 'node'));
      const run = await runNx(workspace, ['run', 'base:docker-build', '--skip-nx-cache'], { PATH: `${bin}:${dirname(bin)}/none` });
      expect(run.exitCode).not.toBe(0);
      expect(run.output).toContain('The docker CLI was not found on PATH');
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe('airgap image source', () => {
  it('rewrites an upstream FROM to its stand-in and refuses one without a stand-in', async () => {
    const airgap = createFixtureWorkspace(
      [
        { root: 'docker/debian-root', dockerfile: 'FROM scratch\nCOPY rootfs.txt /etc/rootfs\n', files: { 'rootfs.txt': 'stand-in\n' } },
        { root: 'apps/tool', dockerfile: 'FROM debian:bookworm-slim\nCOPY tool.txt /tool\n', files: { 'tool.txt': 'tool\n' } },
      ],
      { imageNamePrefix: prefix, imageSource: 'airgap', airgapImages: { 'debian:bookworm-slim': 'debian-root' } },
    );
    try {
      const run = await runNx(airgap, ['run-many', '-t', 'docker-build']);
      expect(run.exitCode).toBe(0);
      expect(run.outcomes).toEqual({ 'debian-root': 'built', tool: 'built' });
      expect(run.output).toMatch(new RegExp(`root debian:bookworm-slim <- airgap stand-in ${prefix}/debian-root:nx-[0-9a-f]{16}`));
      writeImageProject(airgap, { root: 'apps/stray', dockerfile: 'FROM alpine:3.20\n' });
      const refused = await runNx(airgap, ['run', 'stray:docker-build']);
      expect(refused.exitCode).not.toBe(0);
      expect(refused.output).toContain('"alpine:3.20" is an upstream image and imageSource is "airgap"');
      expect(refused.output).not.toMatch(/^building /m);
    } finally {
      removeFixtureWorkspace(airgap);
    }
  });
});

describe('a context generated by another task in the same run', () => {
  it('is hashed after that task ran, so a changed generated file rebuilds instead of hitting the cache', async () => {
    const generated = createFixtureWorkspace(
      [
        {
          root: 'docker/gen',
          dockerfile: 'FROM scratch\nCOPY out.txt /out.txt\n',
          files: {
            'src.txt': 'v1\n',
            'gen.js': "const fs = require('fs');\nfs.mkdirSync('dist/gen', { recursive: true });\nfs.copyFileSync('docker/gen/src.txt', 'dist/gen/out.txt');\n",
          },
          targets: {
            generate: {
              executor: 'nx:run-commands',
              cache: true,
              inputs: ['{projectRoot}/src.txt', '{projectRoot}/gen.js'],
              outputs: ['{workspaceRoot}/dist/gen'],
              options: { command: 'node docker/gen/gen.js' },
            },
            'docker-build': { dependsOn: ['generate', '^docker-build'], options: { context: 'dist/gen' } },
          },
        },
      ],
      { imageNamePrefix: prefix },
    );
    const build = () => runNx(generated, ['run', 'gen:docker-build']);
    const contentTag = () => JSON.parse(readFileSync(join(generated, 'dist', 'docker', 'gen', 'image.json'), 'utf8')).contentTag;
    try {
      expect((await build()).outcomes.gen).toBe('built');
      const first = contentTag();
      // The first hook ran before dist/gen existed (state "unknown"); the record names the key, so the next run hits.
      expect((await build()).outcomes.gen).toBe('cache');
      writeFile(generated, 'docker/gen/src.txt', 'v2\n');
      const changed = await build();
      expect(changed.outcomes).toEqual({ gen: 'built' });
      expect(contentTag()).not.toBe(first);
    } finally {
      removeFixtureWorkspace(generated);
    }
  });

  it('does not break other tasks when a generated named context does not exist yet (fresh clone)', async () => {
    const workspace = createFixtureWorkspace(
      [
        {
          root: 'docker/named',
          dockerfile: 'FROM scratch\nCOPY --from=extra out.txt /out.txt\n',
          files: { 'gen.js': "const fs = require('fs');\nfs.mkdirSync('dist/extra', { recursive: true });\nfs.writeFileSync('dist/extra/out.txt', 'x');\n" },
          targets: {
            generate: { executor: 'nx:run-commands', cache: true, outputs: ['{workspaceRoot}/dist/extra'], options: { command: 'node docker/named/gen.js' } },
            'docker-build': { dependsOn: ['generate', '^docker-build'], options: { buildContexts: { extra: { path: 'dist/extra' } } } },
          },
        },
      ],
      { imageNamePrefix: prefix },
    );
    try {
      // dist/extra is absent when the pre-task hook keys every image: the run must still build.
      expect((await runNx(workspace, ['run', 'named:docker-build'])).outcomes.named).toBe('built');
    } finally {
      removeFixtureWorkspace(workspace);
    }
  });
});
