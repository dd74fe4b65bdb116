import { addProjectConfiguration, formatFiles, getProjects, joinPathFragments, readNxJson, type Tree } from '@nx/devkit';
import { z } from 'zod';
import { findOwnPluginOptions } from '../../core/options/plugin-options';
import { imageProjectSchema, type ImageProjectOptions } from './schema.zod';

/**
 * Adds an image project the Nx way: project.json, a Dockerfile and a .dockerignore. The docker-build
 * target is not written: the plugin infers it (with exact inputs) from the Dockerfile beside project.json.
 */
export default async function imageProjectGenerator(tree: Tree, rawOptions: ImageProjectOptions): Promise<void> {
  const parsed = imageProjectSchema.safeParse(rawOptions);
  if (!parsed.success) throw new Error(`Invalid image-project options:\n${z.prettifyError(parsed.error)}`);
  const { name, baseImage } = parsed.data;
  const root = parsed.data.directory ?? joinPathFragments('docker', name);
  const projects = getProjects(tree);
  if (projects.has(name)) throw new Error(`A project named "${name}" already exists (at ${projects.get(name)?.root}). Choose another "name".`);
  if (tree.exists(joinPathFragments(root, 'project.json'))) throw new Error(`"${root}" already holds a project.json. Choose another "directory".`);

  // A bare project name of an existing image project means its image; BuildKit sees it pinned by content tag.
  const isImageProject = projects.has(baseImage) && tree.exists(joinPathFragments(projects.get(baseImage)?.root ?? '', 'Dockerfile'));
  const from = isImageProject ? `${findOwnPluginOptions(readNxJson(tree)?.plugins, tree.root).imageNamePrefix}/${baseImage}` : baseImage;
  addProjectConfiguration(tree, name, {
    root,
    projectType: 'application',
    sourceRoot: root,
    tags: ['type:image'],
    targets: {},
  });
  tree.write(joinPathFragments(root, 'Dockerfile'), renderDockerfile(from));
  tree.write(
    joinPathFragments(root, '.dockerignore'),
    ['# Only what the image needs is sent to Docker (and hashed by Nx).', 'project.json', 'Dockerfile', '.dockerignore', '**/node_modules', '**/*.spec.ts', ''].join('\n'),
  );
  await formatFiles(tree);
}

function renderDockerfile(from: string): string {
  return [
    `ARG BASE_IMAGE=${from}`,
    'FROM ${BASE_IMAGE}',
    '# Downloads that go through the corporate proxy: the CA arrives as a build secret, never in a layer, e.g.',
    '# RUN --mount=type=secret,id=ca,target=/etc/ssl/certs/ca-certificates.crt apt-get update',
    'WORKDIR /app',
    'COPY . .',
    '',
  ].join('\n');
}
