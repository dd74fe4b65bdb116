import { addProjectConfiguration, readProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDockerfile } from '../../core/dockerfile/parse-dockerfile';
import imageProjectGenerator from './generator';
import { toGeneratorJsonSchema } from './schema.zod';

describe('image-project generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('writes project.json, Dockerfile and .dockerignore under docker/<name>', async () => {
    await imageProjectGenerator(tree, { name: 'tools-image' });
    expect(readProjectConfiguration(tree, 'tools-image')).toMatchObject({ root: 'docker/tools-image', tags: ['type:image'], targets: {} });
    const dockerfile = tree.read('docker/tools-image/Dockerfile', 'utf8') ?? '';
    expect(parseDockerfile(dockerfile).stages.map((stage) => stage.base)).toEqual(['scratch']);
    expect(tree.read('docker/tools-image/.dockerignore', 'utf8')).toContain('project.json');
  });

  it('uses the image of an existing image project as the base', async () => {
    addProjectConfiguration(tree, 'base-node', { root: 'docker/base-node' });
    tree.write('docker/base-node/Dockerfile', 'FROM scratch\n');
    await imageProjectGenerator(tree, { name: 'api-image', directory: 'apps/api-image', baseImage: 'base-node' });
    expect(parseDockerfile(tree.read('apps/api-image/Dockerfile', 'utf8') ?? '').imageRefs.map((ref) => ref.ref)).toEqual(['posestack/base-node']);
  });

  it('names the offending option', async () => {
    await expect(imageProjectGenerator(tree, { name: 'Bad Name' })).rejects.toThrow(/kebab-case[\s\S]*at name/);
    await imageProjectGenerator(tree, { name: 'dup' });
    await expect(imageProjectGenerator(tree, { name: 'dup', directory: 'other/dup' })).rejects.toThrow(/"dup" already exists/);
  });
});

it('schema.json is generated from the zod schema (UPDATE_SCHEMA=1 rewrites it)', () => {
  const path = join(__dirname, 'schema.json');
  const generated = `${JSON.stringify(toGeneratorJsonSchema(), null, 2)}\n`;
  if (process.env.UPDATE_SCHEMA === '1') writeFileSync(path, generated);
  expect(readFileSync(path, 'utf8')).toBe(generated);
});
