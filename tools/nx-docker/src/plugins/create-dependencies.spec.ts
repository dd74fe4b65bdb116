import type { CreateDependenciesContext } from '@nx/devkit';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createDependencies } from './create-dependencies';

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

  it('keeps the base edge of an image whose context a task generates later (absent in a fresh clone)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nx-docker-deps-'));
    try {
      mkdirSync(join(root, 'docker/base'), { recursive: true });
      mkdirSync(join(root, 'docker/db'), { recursive: true });
      writeFileSync(join(root, 'docker/base/Dockerfile'), 'FROM scratch\n');
      writeFileSync(join(root, 'docker/db/Dockerfile'), 'FROM posestack/base\nCOPY db /db\n');
      const build = (options: Record<string, unknown>) => ({ 'docker-build': { executor: '@posestack/nx-docker:docker-build', options } });
      const context = {
        workspaceRoot: root,
        projects: {
          base: { root: 'docker/base', targets: build({ context: 'dist/base', dockerfile: 'docker/base/Dockerfile' }) },
          db: { root: 'docker/db', targets: build({ context: 'dist/db', dockerfile: 'docker/db/Dockerfile' }) },
        },
        fileMap: { projectFileMap: { db: [{ file: 'docker/db/Dockerfile', hash: 'h' }] }, nonProjectFiles: [] },
      } as unknown as CreateDependenciesContext;
      const dependencies = await createDependencies({}, context);
      expect(dependencies.map((d) => `${d.source}->${d.target}:${d.type}`)).toEqual(['db->base:static']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
