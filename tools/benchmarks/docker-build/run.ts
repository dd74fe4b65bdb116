/**
 * Benchmark (not a test): wall time of `nx run-many -t docker-build` on a six-image graph (cold, no change,
 * BuildKit cache gone, one changed file in a leaf, one in the root base) next to `docker buildx bake` of the same
 * graph on a twin copy whose files carry different bytes, so neither side reuses the other's layers.
 *
 *   node -r @swc-node/register tools/benchmarks/docker-build/run.ts
 */
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createFixtureWorkspace, removeFixtureWorkspace, writeFile, type FixtureImage } from '../../nx-docker/tests/support/fixture-workspace';
import { runNx } from '../../nx-docker/tests/support/run-nx';

const prefix = `nxbench-${process.pid}`;
const payloadBytes = 2 * 1024 * 1024;

// base <- mid-a, mid-b <- leaf-1 (mid-a), leaf-2 (mid-b), leaf-3 (mid-a + COPY --from mid-b)
const graph: { name: string; from: string; copyFrom?: string }[] = [
  { name: 'base', from: 'scratch' },
  { name: 'mid-a', from: 'base' },
  { name: 'mid-b', from: 'base' },
  { name: 'leaf-1', from: 'mid-a' },
  { name: 'leaf-2', from: 'mid-b' },
  { name: 'leaf-3', from: 'mid-a', copyFrom: 'mid-b' },
];
const imageOf = (name: string) => (name === 'scratch' ? 'scratch' : `${prefix}/${name}`);
const rootOf = (name: string) => `images/${name}`;

function fixtureImages(): FixtureImage[] {
  return graph.map(({ name, from, copyFrom }) => ({
    root: rootOf(name),
    dockerfile: [
      `FROM ${imageOf(from)}`,
      `COPY payload.bin /${name}/payload.bin`,
      `COPY app.txt /${name}/app.txt`,
      ...(copyFrom ? [`COPY --from=${imageOf(copyFrom)} /${copyFrom}/app.txt /${name}/from-${copyFrom}.txt`] : []),
      '',
    ].join('\n'),
    files: { 'payload.bin': randomBytes(payloadBytes).toString('base64'), 'app.txt': `${name} v1\n`, '.dockerignore': 'project.json\n' },
  }));
}

function writeBakeFile(dir: string): void {
  const target: Record<string, unknown> = {};
  for (const { name, from, copyFrom } of graph) {
    const contexts = Object.fromEntries([from, copyFrom].filter((dep): dep is string => !!dep && dep !== 'scratch').map((dep) => [imageOf(dep), `target:${dep}`]));
    target[name] = { context: rootOf(name), dockerfile: 'Dockerfile', tags: [`${prefix}-bake/${name}:latest`], contexts, output: ['type=docker'] };
  }
  writeFileSync(join(dir, 'docker-bake.json'), JSON.stringify({ target, group: { default: { targets: graph.map((g) => g.name) } } }, null, 2));
}

async function timed(run: () => Promise<{ exitCode: number | undefined; output?: string }>): Promise<number> {
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  if (result.exitCode !== 0) throw new Error(`benchmark step failed:\n${result.output ?? ''}`);
  return seconds;
}

async function main(): Promise<void> {
  const nxWorkspace = createFixtureWorkspace(fixtureImages(), { imageNamePrefix: prefix });
  // The bake twin: same layout and Dockerfiles, different payload bytes (no shared layers with the nx side).
  const bakeWorkspace = createFixtureWorkspace(fixtureImages(), { imageNamePrefix: prefix });
  writeBakeFile(bakeWorkspace);
  const nx = () => timed(() => runNx(nxWorkspace, ['run-many', '-t', 'docker-build']));
  // --no-cache stands in for a pruned BuildKit cache (`docker builder prune`), which this shared engine must keep.
  const bake = (flags: string[] = []) =>
    timed(async () => {
      const result = await execa('docker', ['buildx', 'bake', '--file', 'docker-bake.json', '--progress', 'quiet', ...flags], { cwd: bakeWorkspace, reject: false, all: true });
      return { exitCode: result.exitCode, output: String(result.all) };
    });
  const edit = (path: string, content: string) => {
    writeFile(nxWorkspace, path, content);
    writeFile(bakeWorkspace, path, content);
  };
  const rows: [string, number, number][] = [];
  try {
    rows.push(['cold (empty Nx cache, new layers)', await nx(), await bake()]);
    rows.push(['no change, first run after the build', await nx(), await bake()]);
    rows.push(['no change, steady state', await nx(), await bake()]);
    rows.push(['no change, BuildKit cache gone (bake --no-cache)', await nx(), await bake(['--no-cache'])]);
    edit(`${rootOf('leaf-2')}/app.txt`, 'leaf-2 v2\n');
    rows.push(['one file changed in a leaf image', await nx(), await bake()]);
    await nx(); // settle the re-tag run so the next row starts from a steady state
    edit(`${rootOf('base')}/app.txt`, 'base v2\n');
    rows.push(['one file changed in the root base', await nx(), await bake()]);
  } finally {
    const { stdout } = await execa('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
    const tags = stdout.split('\n').filter((tag) => tag.startsWith(`${prefix}/`) || tag.startsWith(`${prefix}-bake/`));
    if (tags.length > 0) await execa('docker', ['image', 'rm', '--force', ...tags]);
    removeFixtureWorkspace(nxWorkspace);
    removeFixtureWorkspace(bakeWorkspace);
  }
  console.log(`docker-build benchmark: ${graph.length} images (FROM scratch chain, ${payloadBytes / 1024 / 1024} MiB payload each), docker driver`);
  console.log(`${'scenario'.padEnd(48)} ${'nx (s)'.padStart(8)} ${'bake (s)'.padStart(9)} ${'nx/bake'.padStart(8)}`);
  for (const [scenario, nxSeconds, bakeSeconds] of rows) {
    console.log(`${scenario.padEnd(48)} ${nxSeconds.toFixed(2).padStart(8)} ${bakeSeconds.toFixed(2).padStart(9)} ${(nxSeconds / bakeSeconds).toFixed(2).padStart(8)}`);
  }
  console.log('nx times include nx start-up (project graph, plugin hook: one docker image ls + buildx version).');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
