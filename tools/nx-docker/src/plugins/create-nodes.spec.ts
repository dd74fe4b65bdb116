import type { CreateNodesContext, CreateNodesResult } from '@nx/devkit';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { logger } from '@nx/devkit';
import { createNodes } from './create-nodes';

describe('createNodes', () => {
  let root: string;
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  const infer = async (dockerfiles: string[]) => {
    const context = { workspaceRoot: root, nxJsonConfiguration: {} } as CreateNodesContext;
    const results = await createNodes[1](dockerfiles, {}, context);
    return Object.fromEntries(results.flatMap(([, result]: readonly [string, CreateNodesResult]) => Object.entries(result.projects ?? {})));
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nx-docker-plugin-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('infers a cached docker-build target only beside a project.json or package.json', async () => {
    write('apps/api/project.json', '{"name":"api"}');
    write('apps/api/Dockerfile', 'FROM scratch\nCOPY . /\n');
    write('apps/api/.dockerignore', '**/*.log\nproject.json\n');
    write('apps/api/src/main.js', '');
    write('apps/api/debug.log', '');
    write('apps/web/package.json', '{"name":"web"}');
    write('apps/web/Dockerfile', 'FROM scratch\n');
    write('scripts/Dockerfile', 'FROM scratch\n');
    const projects = await infer(['apps/api/Dockerfile', 'apps/web/Dockerfile', 'scripts/Dockerfile']);
    expect(Object.keys(projects).sort()).toEqual(['apps/api', 'apps/web']);
    expect(projects['apps/api'].targets?.['docker-build']).toMatchObject({
      executor: '@posestack/nx-docker:docker-build',
      cache: true,
      dependsOn: ['^docker-build'],
      outputs: ['{workspaceRoot}/dist/docker/{projectName}'],
      inputs: [
        '{workspaceRoot}/apps/api/Dockerfile',
        '{workspaceRoot}/apps/api/.dockerignore',
        '{workspaceRoot}/apps/api/src/main.js',
        { env: 'NX_DOCKER_IMAGE_STATE_APPS_API' },
        { dependentTasksOutputFiles: '**/*', transitive: true },
      ],
    });
  });

  it('computes inputs from a context and env build args overridden in project.json', async () => {
    write(
      'apps/api/project.json',
      JSON.stringify({
        name: 'api',
        targets: { image: { executor: '@posestack/nx-docker:docker-build', options: { context: 'dist/api', buildArgs: { V: { env: 'APP_VERSION' } } } } },
      }),
    );
    write('apps/api/Dockerfile', 'FROM scratch\n');
    write('dist/api/bundle.js', '');
    const target = (await infer(['apps/api/Dockerfile']))['apps/api'].targets?.['docker-build'];
    expect(target?.inputs).toEqual([
      '{workspaceRoot}/apps/api/Dockerfile',
      '{workspaceRoot}/dist/api/bundle.js',
      { env: 'APP_VERSION' },
      { env: 'NX_DOCKER_IMAGE_STATE_APPS_API' },
      { dependentTasksOutputFiles: '**/*', transitive: true },
    ]);
  });

  it('never throws on invalid options, and warns that its inputs fell back', async () => {
    write('apps/api/project.json', JSON.stringify({ targets: { 'docker-build': { executor: '@posestack/nx-docker:docker-build', options: { progress: 'loud' } } } }));
    write('apps/api/Dockerfile', 'FROM scratch\n');
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    try {
      expect((await infer(['apps/api/Dockerfile']))['apps/api'].targets?.['docker-build']?.inputs?.[0]).toBe('{projectRoot}/**/*');
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/cannot list the files "apps\/api" sends to Docker \([\s\S]*progress[\s\S]*fall back to \{projectRoot\}/));
    } finally {
      warn.mockRestore();
    }
  });

  it('says nothing while a generated context does not exist yet, and gives the same inputs once it does', async () => {
    const generated = { targets: { 'docker-build': { executor: '@posestack/nx-docker:docker-build', options: { context: 'dist/rootfs' } } } };
    write('.gitignore', 'dist/\n');
    write('docker/root/project.json', JSON.stringify(generated));
    // Unique per run: createNodes results persist in the workspace's PluginCache, keyed by the project's files.
    write('docker/root/Dockerfile', `FROM scratch\nADD rootfs.tar /\n# ${root}\n`);
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const inputs = async () => (await infer(['docker/root/Dockerfile']))['docker/root'].targets?.['docker-build']?.inputs;
    try {
      // A fresh clone's first run and the next one are hashed alike: the git-ignored files reach the hash as the
      // outputs of the task that generates them, never as files of the graph.
      const before = await inputs();
      expect(before?.[0]).toBe('{workspaceRoot}/docker/root/Dockerfile');
      expect(warn).not.toHaveBeenCalled();
      write('dist/rootfs/rootfs.tar', 'tar');
      expect(await inputs()).toEqual(before);
    } finally {
      warn.mockRestore();
    }
  });

  it('gives the target Nx Console metadata: description, technologies and help with an example', async () => {
    write('apps/api/project.json', '{"name":"api"}');
    write('apps/api/Dockerfile', 'FROM scratch\n');
    const metadata = (await infer(['apps/api/Dockerfile']))['apps/api'].targets?.['docker-build']?.metadata;
    expect(metadata).toMatchObject({ technologies: ['docker'], help: { command: 'docker buildx build --help', example: { options: { tags: expect.any(Array) } } } });
    expect(metadata?.description).toMatch(/Build the Docker image/);
  });

  it('refuses bad plugin options in nx.json with a message naming the option', async () => {
    const context = { workspaceRoot: root, nxJsonConfiguration: {} } as CreateNodesContext;
    await expect(createNodes[1]([], { imageSource: 'offline' }, context)).rejects.toThrow(/nx\.json[\s\S]*imageSource/);
  });
});

