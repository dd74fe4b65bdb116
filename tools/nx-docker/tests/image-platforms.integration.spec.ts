import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFixtureWorkspace, removeFixtureWorkspace, writeFile } from './support/fixture-workspace';
import { runNx, type NxRun } from './support/run-nx';

/**
 * A task that makes what an image's context needs per platform (debian-root's rootfs target: a root per
 * architecture) reads the image's platform set with `node tools/nx-docker/image-platforms.js <root>` and lists
 * that command as a runtime input, as docker/debian-root/project.json does. Real nx (no daemon) on a fixture
 * workspace; the task writes a file per platform and counts its runs, so a stale cache hit would show.
 * Needs no Docker engine: no image is built.
 */

const reader = 'node tools/nx-docker/image-platforms.js docker/root';
const makeRoots = `
const { execFileSync } = require('node:child_process');
const { appendFileSync, mkdirSync, writeFileSync } = require('node:fs');
const platforms = execFileSync('node', ['tools/nx-docker/image-platforms.js', 'docker/root'], { encoding: 'utf8' }).trim().split('\\n');
mkdirSync('dist/root', { recursive: true });
for (const platform of platforms) writeFileSync('dist/root/root-' + platform.split('/')[1] + '.txt', platform + '\\n');
appendFileSync('runs.txt', platforms.join(',') + '\\n');
`;

describe('a runtime input of the image platforms keeps a per-platform task exact', () => {
  let root: string;
  const nx = (env: Record<string, string> = {}) => runNx(root, ['run', 'root:roots'], env);
  const runs = () => readFileSync(join(root, 'runs.txt'), 'utf8').trim().split('\n');
  const roots = () => readdirSync(join(root, 'dist', 'root')).sort();
  const expectSuccess = (run: NxRun) => {
    if (run.exitCode !== 0) console.log(run.output.slice(-4000));
    expect(run.exitCode).toBe(0);
  };
  const setPluginPlatforms = (platforms: string[]) => {
    const nxJson = JSON.parse(readFileSync(join(root, 'nx.json'), 'utf8'));
    nxJson.plugins[0].options.platforms = platforms;
    writeFileSync(join(root, 'nx.json'), JSON.stringify(nxJson, null, 2));
  };

  beforeAll(() => {
    root = createFixtureWorkspace(
      [
        {
          root: 'docker/root',
          dockerfile: 'FROM scratch AS root-amd64\nCOPY root-amd64.txt /\nFROM scratch AS root-arm64\nCOPY root-arm64.txt /\nFROM root-${TARGETARCH}\n',
          targets: {
            roots: {
              executor: 'nx:run-commands',
              cache: true,
              inputs: ['{projectRoot}/make-roots.js', { runtime: reader }],
              outputs: ['{workspaceRoot}/dist/root'],
              options: { command: 'node docker/root/make-roots.js', cwd: '{workspaceRoot}' },
            },
            'docker-build': { executor: '@posestack/nx-docker:docker-build', dependsOn: ['roots'], options: { context: 'dist/root' } },
          },
        },
      ],
      { imageNamePrefix: `i15e-platforms-${process.pid}` },
    );
    writeFile(root, 'docker/root/make-roots.js', makeRoots);
  });
  afterAll(() => {
    if (root) removeFixtureWorkspace(root);
  });

  it('builds for the set the image is built for, and never restores the roots of another set', async () => {
    const machine = process.arch === 'arm64' ? 'arm64' : 'amd64';
    expectSuccess(await nx());
    expect(roots()).toEqual([`root-${machine}.txt`]);
    expectSuccess(await nx());
    expect(runs()).toHaveLength(1); // same set: a cache hit

    expectSuccess(await nx({ NX_DOCKER_PLATFORMS: 'linux/amd64,linux/arm64' }));
    expect(runs()).toEqual([`linux/${machine}`, 'linux/amd64,linux/arm64']);
    expect(roots()).toEqual(['root-amd64.txt', 'root-arm64.txt']);

    // Back to the machine's set: the first run's outputs come back from the cache, without the arm64 root.
    const back = await nx();
    expectSuccess(back);
    expect(back.output).toMatch(/local cache|existing outputs match/);
    expect(runs()).toHaveLength(2);
    expect(roots()).toEqual([`root-${machine}.txt`]);

    // The plugin option in nx.json decides too (the project sets no platforms of its own).
    setPluginPlatforms(['linux/arm64']);
    expectSuccess(await nx());
    expect(runs().at(-1)).toBe('linux/arm64');
    expect(existsSync(join(root, 'dist', 'root', 'root-arm64.txt'))).toBe(true);
  }, 180_000);
});
