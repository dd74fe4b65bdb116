import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const pluginRoot = join(__dirname, '..', '..');
const mainWorkspaceRoot = join(pluginRoot, '..', '..');

export interface FixtureImage {
  /** Project root, e.g. `docker/base`; the project name is its last segment. */
  root: string;
  dockerfile: string;
  files?: Record<string, string>;
  /** project.json targets, e.g. a docker-build override. */
  targets?: Record<string, unknown>;
}

/**
 * A throw-away Nx workspace: a copy of this plugin's sources (so `./tools/nx-docker` and the executor
 * resolve exactly as in the real workspace), node_modules linked from the real one, and tiny image projects.
 */
export function createFixtureWorkspace(images: FixtureImage[], pluginOptions: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'nx-docker-fixture-'));
  symlinkSync(join(mainWorkspaceRoot, 'node_modules'), join(root, 'node_modules'));
  const pluginCopy = join(root, 'tools', 'nx-docker');
  for (const entry of ['package.json', 'project.json', 'executors.json', 'generators.json', 'plugin.js', 'executors.js', 'generators.js', 'compiled.js', 'image-platforms.js', 'src']) {
    cpSync(join(pluginRoot, entry), join(pluginCopy, entry), {
      recursive: true,
      filter: (source) => !source.endsWith('.spec.ts'),
    });
  }
  writeJson(join(root, 'package.json'), { name: 'fixture', private: true });
  // The real root tsconfig: Nx transpiles TypeScript it loads directly (release versionActions) with it.
  const tsconfig = JSON.parse(readFileSync(join(mainWorkspaceRoot, 'tsconfig.base.json'), 'utf8'));
  tsconfig.compilerOptions.paths = { '@posestack/nx-docker': ['tools/nx-docker/src/index.ts'] };
  writeJson(join(root, 'tsconfig.base.json'), tsconfig);
  writeJson(join(root, 'nx.json'), {
    $schema: './node_modules/nx/schemas/nx-schema.json',
    namedInputs: { default: ['{projectRoot}/**/*'] },
    plugins: [{ plugin: './tools/nx-docker', options: pluginOptions }],
  });
  writeFileSync(join(root, '.gitignore'), 'node_modules\ndist\n.nx\n');
  for (const image of images) writeImageProject(root, image);
  return root;
}

export function writeImageProject(workspaceRoot: string, image: FixtureImage): void {
  const name = image.root.split('/').pop() ?? image.root;
  writeJson(join(workspaceRoot, image.root, 'project.json'), { name, targets: image.targets ?? {} });
  writeFile(workspaceRoot, `${image.root}/Dockerfile`, image.dockerfile);
  for (const [path, content] of Object.entries(image.files ?? {})) writeFile(workspaceRoot, `${image.root}/${path}`, content);
}

export function writeFile(workspaceRoot: string, path: string, content: string): void {
  mkdirSync(dirname(join(workspaceRoot, path)), { recursive: true });
  writeFileSync(join(workspaceRoot, path), content);
}

function writeJson(path: string, data: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
}

export function removeFixtureWorkspace(root: string): void {
  if (relative(tmpdir(), root).startsWith('..')) throw new Error(`refusing to remove ${root}: not a temp dir`);
  rmSync(root, { recursive: true, force: true });
}
