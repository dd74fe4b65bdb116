import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { runBuildxBuild } from '../docker/docker-cli';
import { canReincludeBelow, findDockerignore, listContextFiles, parseDockerignore } from './list-sent-files';

const files = [
  'Dockerfile',
  'src/app.ts',
  'src/app.spec.ts',
  'node_modules/dep/index.js',
  'packages/a/node_modules/dep/index.js',
  'keep/node_modules/keep.txt',
  'dist/app/main.js',
  'dist/other/skip.js',
  'deep/a/b/wanted.txt',
  'deep/a/c/unwanted.txt',
  'logs/one.log',
  'logs/keep.log',
  'docs/readme.md',
  '.env',
  '.dockerignore',
];
const ignore = [
  '# comment',
  'node_modules',
  '**/*.log',
  '!logs/keep.log',
  '*.md',
  'docs',
  '.env',
  '**/*.spec.ts',
  'Dockerfile',
  'dist',
  '!dist/app',
  'deep',
  '!deep/*/b',
].join('\n');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('listContextFiles', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'nx-docker-context-'));
    for (const file of files) {
      mkdirSync(dirname(join(root, 'ctx', file)), { recursive: true });
      writeFileSync(join(root, 'ctx', file), file === 'Dockerfile' ? 'FROM scratch\nCOPY . /\n' : file);
    }
    writeFileSync(join(root, 'ctx', '.dockerignore'), ignore);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('matches the file list Docker itself sends for the same context', async () => {
    const out = join(root, 'out');
    // FROM scratch + COPY . / exported with --output type=local is exactly the context BuildKit received.
    await runBuildxBuild(['buildx', 'build', '--quiet', '--output', `type=local,dest=${out}`, join(root, 'ctx')], root, process.env);
    const sentByDocker = walk(out).map((file) => relative(out, file)).sort();
    expect(listContextFiles(join(root, 'ctx'), join(root, 'ctx', 'Dockerfile'))).toEqual(sentByDocker);
    expect(sentByDocker).toEqual([
      '.dockerignore',
      'deep/a/b/wanted.txt',
      'dist/app/main.js',
      'keep/node_modules/keep.txt',
      'logs/keep.log',
      'packages/a/node_modules/dep/index.js',
      'src/app.ts',
    ]);
  });

  it('prefers <Dockerfile>.dockerignore beside the Dockerfile', () => {
    writeFileSync(join(root, 'ctx', 'Dockerfile.dockerignore'), 'src\n');
    try {
      expect(findDockerignore(join(root, 'ctx'), join(root, 'ctx', 'Dockerfile'))).toBe(join(root, 'ctx', 'Dockerfile.dockerignore'));
      expect(listContextFiles(join(root, 'ctx'), join(root, 'ctx', 'Dockerfile'))).not.toContain('src/app.ts');
    } finally {
      rmSync(join(root, 'ctx', 'Dockerfile.dockerignore'));
    }
  });
});

it('descends into an ignored directory only when an exception could re-include something below it', () => {
  expect(canReincludeBelow('dist', '!dist/app')).toBe(true);
  expect(canReincludeBelow('dist/app', '!dist/app')).toBe(false);
  expect(canReincludeBelow('node_modules', '!dist/app')).toBe(false);
  expect(canReincludeBelow('.git', '!dist/app')).toBe(false);
  expect(canReincludeBelow('deep/a', '!deep/*/b')).toBe(true);
  expect(canReincludeBelow('anything', '!**/keep.txt')).toBe(true);
  expect(canReincludeBelow('libs/x', '!libs')).toBe(false);
});

it('drops comments and blank lines from .dockerignore', () => {
  expect(parseDockerignore('# c\n\n  a  \n!b\n')).toEqual(['a', '!b']);
});
