import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runCommand } from '../support/run-command';
import { WORKSPACE_ROOT } from '../support/stack-state';

/**
 * CI builds only what changed: `nx affected` in the workflow picks the projects. This proves, on the committed
 * workspace (HEAD), which image-building projects a one-line change affects, by committing each change in a
 * throw-away clone and asking `nx show projects --affected --base --head` (the daemon off, so the graph is
 * computed from the files, plugins included). The expectations are the ones the workflow relies on.
 */
const NX = join(WORKSPACE_ROOT, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
const NX_ENV = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_SKIP_NX_CACHE: 'true' };
let clone: string;
let baseSha: string;
let imageProjects: string[];

async function git(...args: string[]): Promise<string> {
  const identity = ['-c', 'user.name=affected-check', '-c', 'user.email=affected-check@localhost', '-c', 'commit.gpgsign=false'];
  return (await runCommand('git', [...identity, ...args], { cwd: clone })).stdout.trim();
}

async function nxJson(...args: string[]): Promise<string[]> {
  const { stdout } = await runCommand(process.execPath, [NX, ...args, '--json'], { cwd: clone, env: NX_ENV, timeoutMs: 240_000 });
  return JSON.parse(stdout.slice(stdout.indexOf('['))) as string[];
}

/** Commits one appended line to `file` on top of the base commit and returns the affected projects. */
async function affectedBy(file: string, line: string): Promise<string[]> {
  await git('checkout', '--quiet', '--detach', baseSha);
  if (!existsSync(join(clone, file))) throw new Error(`${file} is not in the committed workspace (HEAD) yet`);
  appendFileSync(join(clone, file), `\n${line}\n`);
  await git('commit', '--quiet', '--all', '--message', `affected-check: touch ${file}`);
  const head = await git('rev-parse', 'HEAD');
  return nxJson('show', 'projects', '--affected', `--base=${baseSha}`, `--head=${head}`);
}

/** The projects that build an image, plus the e2e project that runs them: what the workflow's build/e2e cost. */
function imageBuilding(projects: string[]): string[] {
  return projects.filter((name) => imageProjects.includes(name) || name === 'stack-e2e').sort();
}

function firstSourceFile(dir: string): string {
  const entries = readdirSync(join(clone, dir), { withFileTypes: true, recursive: true });
  const file = entries.find((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'));
  if (!file) throw new Error(`no TypeScript source under ${dir}`);
  return relative(clone, join(file.parentPath, file.name));
}

beforeAll(async () => {
  clone = mkdtempSync(join(tmpdir(), 'posestack-affected-'));
  // --shared borrows the objects of this repository: a clone of HEAD in a second, nothing downloaded.
  await runCommand('git', ['clone', '--quiet', '--shared', WORKSPACE_ROOT, clone]);
  baseSha = (await runCommand('git', ['rev-parse', 'HEAD'], { cwd: WORKSPACE_ROOT })).stdout.trim();
  await git('checkout', '--quiet', '--detach', baseSha);
  symlinkSync(join(WORKSPACE_ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
  imageProjects = await nxJson('show', 'projects', '--with-target', 'docker-build');
  console.log(`image-building projects at ${baseSha.slice(0, 8)}: ${imageProjects.join(', ')}`);
});

afterAll(() => {
  if (clone) rmSync(clone, { recursive: true, force: true });
});

describe('nx affected picks exactly the images a change needs', () => {
  it('a change in backend-api source affects backend-api and stack-e2e only', async () => {
    const affected = imageBuilding(await affectedBy(firstSourceFile('apps/backend-api/src'), '// affected-check'));
    console.log(`backend-api source change -> ${affected.join(', ')}`);
    expect(affected).toEqual(['backend-api', 'stack-e2e']);
  });

  it("a change in base-node's Dockerfile affects base-node, the services on it and stack-e2e", async () => {
    const all = await affectedBy('docker/base-node/Dockerfile', '# affected-check');
    const affected = imageBuilding(all);
    console.log(`base-node Dockerfile change -> ${affected.join(', ')}`);
    const expected = ['backend-api', 'base-node', 'frontend', 'stack-e2e'];
    // The Mongo Express stand-in (npm mongo-express on Node 22) is FROM base-node too, so it rebuilds as well;
    // decided from its Dockerfile, independently of the graph under test.
    const mongoExpressDockerfile = join(clone, 'docker', 'mongo-express', 'Dockerfile');
    if (existsSync(mongoExpressDockerfile) && /base-node/.test(readFileSync(mongoExpressDockerfile, 'utf8'))) {
      expected.push('mongo-express');
    }
    expect(affected).toEqual(expected.sort());
    expect(affected).not.toContain('pose-service');
    expect(affected).not.toContain('base-python');
  });

  it('a change in the README affects nothing that builds an image', async () => {
    const affected = imageBuilding(await affectedBy('README.md', 'affected-check'));
    console.log(`README change -> ${affected.length === 0 ? '(nothing that builds an image)' : affected.join(', ')}`);
    expect(affected).toEqual([]);
  });
});
