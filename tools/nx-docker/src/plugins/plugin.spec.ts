import type { CreateDependenciesContext, CreateNodesContextV2, CreateNodesResult } from '@nx/devkit';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createDependencies, createNodesV2 } from './plugin';

describe('createNodesV2', () => {
  let root: string;
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  const infer = async (dockerfiles: string[]) => {
    const context = { workspaceRoot: root, nxJsonConfiguration: {} } as CreateNodesContextV2;
    const results = await createNodesV2[1](dockerfiles, {}, context);
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

  it('never throws on invalid options: the executor reports them', async () => {
    write('apps/api/project.json', JSON.stringify({ targets: { 'docker-build': { executor: '@posestack/nx-docker:docker-build', options: { progress: 'loud' } } } }));
    write('apps/api/Dockerfile', 'FROM scratch\n');
    expect((await infer(['apps/api/Dockerfile']))['apps/api'].targets?.['docker-build']?.inputs?.[0]).toBe('{projectRoot}/**/*');
  });
});

describe('createDependencies', () => {
  it('adds static edges from FROM, COPY --from, RUN --mount=from and project named contexts', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nx-docker-deps-'));
    try {
      const files: Record<string, string> = {
        'docker/base/Dockerfile': 'FROM scratch\n',
        'docker/tools/Dockerfile': 'FROM scratch\n',
        'docker/models/Dockerfile': 'FROM scratch\n',
        'docker/extra/Dockerfile': 'FROM scratch\n',
        'apps/api/Dockerfile': 'ARG BASE=posestack/base\nFROM ${BASE} AS b\nCOPY --from=posestack/tools / /\nRUN --mount=type=bind,from=posestack/models,target=/m true\nFROM debian:12\n',
      };
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), content);
      }
      const image = (projectRoot: string, options: Record<string, unknown> = {}) => ({
        root: projectRoot,
        targets: { 'docker-build': { executor: '@posestack/nx-docker:docker-build', options: { context: projectRoot, dockerfile: `${projectRoot}/Dockerfile`, ...options } } },
      });
      const context = {
        workspaceRoot: root,
        projects: {
          base: image('docker/base'),
          tools: image('docker/tools'),
          models: image('docker/models'),
          extra: image('docker/extra'),
          api: image('apps/api', { buildContexts: { assets: { project: 'extra' } } }),
        },
        fileMap: { projectFileMap: { api: [{ file: 'apps/api/Dockerfile', hash: 'h' }] }, nonProjectFiles: [] },
      } as unknown as CreateDependenciesContext;
      const dependencies = await createDependencies({}, context);
      expect(dependencies.map((d) => `${d.source}->${d.target}:${d.type}`).sort()).toEqual([
        'api->base:static',
        'api->extra:static',
        'api->models:static',
        'api->tools:static',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
