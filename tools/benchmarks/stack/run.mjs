#!/usr/bin/env node
// Stack build benchmark: `nx run-many -t docker-build` (the workspace plugin: graph order, exact Nx cache) next to
// `docker compose build` of the same images (docker-compose.yml + docker-compose.build.yml: plain BuildKit layer
// cache, bases as compose services), scenario by scenario in one run, with ratios and the original notes' figures.
//
//   node tools/benchmarks/stack/run.mjs            # everything (cold included: tens of minutes on 2 cores)
//   BENCH_SKIP_COLD=1 node tools/benchmarks/stack/run.mjs
//
// It works in a throw-away clone of HEAD (node_modules linked), so edits never touch the checkout, and it deletes
// no image and no build cache, so people working beside it keep theirs. It is heavy: run it when nobody builds.
// Cold: every layer of every image built again, with neither tool's caches: `nx run-many -t docker-build
// --skip-nx-cache --noCache=true` (the plugin passes --no-cache to buildx) against `--skip-nx-cache` prep and
// `docker compose build --no-cache`. BuildKit cache mounts (apt lists, pip and npm downloads) are kept, so it
// measures building, not this network. (A fresh root per tool is not enough: BuildKit content-addresses steps,
// so the second tool reuses the first one's identical layers.)
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPOSE_STAGES, composeStageArgs, PREP_ARGS } from '../lib/compose-build.mjs';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  // The baseline tags posestack/<service>:compose-bench, never the :latest the plugin (and the stack) use.
  POSESTACK_TAG: 'compose-bench',
  // compose interpolates the whole file even to build; these never reach a running container here.
  ME_USER: 'bench',
  ME_PASSWORD: 'bench',
  ME_COOKIE_SECRET: 'bench',
  ME_SESSION_SECRET: 'bench',
};
const LOG = join(ROOT, 'dist', 'benchmarks', 'stack.log');

/**
 * The one-line edits: a comment in a file each service image sends, and a real base change (new image config).
 * Both tools share the daemon's one BuildKit cache (the docker driver allows no second builder, and a
 * docker-container builder needs an image from a registry), so each tool gets its own variant of the line:
 * neither finds the layers the other just built.
 */
const SERVICE_EDITS = [
  { name: 'pose-service', file: 'apps/pose-service/src/pose_service/__init__.py', line: (tool) => `# bench ${tool}` },
  { name: 'backend-api', file: 'apps/backend-api/src/main.ts', line: (tool) => `// bench ${tool}` },
  { name: 'frontend', file: 'apps/frontend/src/main.tsx', line: (tool) => `// bench ${tool}` },
];
const BASE_EDIT = { name: 'base-node', file: 'docker/base-node/Dockerfile', line: (tool) => `LABEL org.posestack.bench="${tool}"` };
const NOTES = {
  cold: '~25 min (first build)',
  'no change': '-',
  'pose-service': '~30 s',
  'backend-api': '~10 s',
  frontend: '~10 s',
  'all services': '~50 s',
  'base-node': '~2 min (dependency change)',
};

function sh(command, args, cwd, { allowFailure = false, extraEnv = {} } = {}) {
  appendFileSync(LOG, `\n$ ${command} ${args.join(' ')}   (in ${cwd}) ${JSON.stringify(extraEnv)}\n`);
  const result = spawnSync(command, args, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  appendFileSync(LOG, `${result.stdout ?? ''}${result.stderr ?? ''}`);
  if (result.status !== 0 && !allowFailure) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}); see ${LOG}\n${(result.stderr ?? '').slice(-2000)}`);
  }
  return result;
}

function timed(label, command, args, cwd, extraEnv = {}) {
  const started = performance.now();
  sh(command, args, cwd, { extraEnv });
  const seconds = (performance.now() - started) / 1000;
  console.log(`  ${label.padEnd(44)} ${seconds.toFixed(1).padStart(8)} s`);
  return seconds;
}

function cloneHead() {
  const dir = mkdtempSync(join(tmpdir(), 'posestack-bench-'));
  sh('git', ['clone', '--quiet', '--shared', ROOT, dir], ROOT);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // The plugin reads generated build contexts while it computes the graph and the content keys, before any task
  // runs, so a fresh clone fails with ENOENT on dist/pose-models (and cannot infer debian-root's target without
  // dist/debian-root). Seed them from the checkout; their own Nx targets still run (and overwrite) when due.
  for (const generated of ['pose-models', 'debian-root', 'ferretdb']) {
    if (existsSync(join(ROOT, 'dist', generated))) {
      cpSync(join(ROOT, 'dist', generated), join(dir, 'dist', generated), { recursive: true });
    }
  }
  return dir;
}

/** The prepared inputs, then every stage of `docker compose build`; returns the wall time of all of it. */
function composeBuild(label, dir, { isCold = false } = {}) {
  const started = performance.now();
  sh('npx', [...PREP_ARGS, ...(isCold ? ['--skip-nx-cache'] : [])], dir);
  const prep = (performance.now() - started) / 1000;
  for (const services of COMPOSE_STAGES) sh('docker', composeStageArgs(dir, services, isCold), dir);
  const seconds = (performance.now() - started) / 1000;
  if (label) console.log(`  ${label.padEnd(44)} ${seconds.toFixed(1).padStart(8)} s (prep ${prep.toFixed(1)} s)`);
  return { seconds, prep };
}

// Unique per run: a variant built by an earlier run would still be in the store and the BuildKit cache.
const RUN_ID = Date.now().toString(36);

function edit(dir, { file, line }, tool) {
  const path = join(dir, file);
  if (!existsSync(path)) throw new Error(`benchmark edit target ${file} does not exist at HEAD`);
  const original = readFileSync(path, 'utf8');
  appendFileSync(path, `\n${line(`${tool}-${RUN_ID}`)}\n`);
  return () => writeFileSync(path, original);
}

function ratio(nx, compose) {
  return nx === undefined || compose === undefined ? '-' : `${(nx / compose).toFixed(2)}x`;
}

function main() {
  const isCold = process.env.BENCH_SKIP_COLD !== '1';
  // The clone shares the checkout's Nx cache (the cold runs skip it with --skip-nx-cache).
  env.NX_CACHE_DIRECTORY = join(ROOT, '.nx', 'cache');
  // Before the first sh(), which appends to the log: a fresh clone has no dist/ yet.
  mkdirSync(join(ROOT, 'dist', 'benchmarks'), { recursive: true });
  rmSync(LOG, { force: true });
  const dir = cloneHead();
  const head = sh('git', ['rev-parse', '--short', 'HEAD'], dir).stdout.trim();
  const nproc = sh('nproc', [], dir).stdout.trim();
  console.log(`posestack stack build benchmark: HEAD ${head}, ${nproc} cores, ${new Date().toISOString()}; log: ${LOG}`);
  const nxArgs = ['nx', 'run-many', '-t', 'docker-build', '--parallel=1', '--outputStyle=static'];
  const rows = [];
  /** One scenario, both tools; `change` (optional) is applied in each tool's own variant, then undone. */
  const both = (scenario, { change, isCold = false } = {}) => {
    console.log(`${scenario}:`);
    let undo = change ? edit(dir, change, 'nx') : undefined;
    const nxCold = isCold ? ['--skip-nx-cache', '--noCache=true'] : [];
    const nx = timed('nx run-many -t docker-build', 'npx', [...nxArgs, ...nxCold], dir);
    if (undo) undo();
    undo = change ? edit(dir, change, 'compose') : undefined;
    const composed = composeBuild('docker compose build (prep + 4 stages)', dir, { isCold });
    if (undo) undo();
    rows.push({ scenario, nx, compose: composed.seconds, prep: composed.prep });
  };
  /** Both tools back on HEAD's content (untimed), so the next scenario starts from the same state. */
  const settle = () => {
    sh('npx', nxArgs, dir);
    composeBuild(undefined, dir);
  };
  try {
    if (isCold) {
      // Warm-up first (untimed), so the compose images exist as :compose-bench for the warm scenarios.
      settle();
      both('cold', { isCold: true });
      if (process.env.BENCH_ONLY_COLD === '1') return void printRows(rows);
    } else {
      console.log('warm-up (not timed in the table):');
      timed('nx run-many -t docker-build', 'npx', nxArgs, dir);
      composeBuild('docker compose build (prep + 4 stages)', dir);
    }
    both('no change');
    const allServices = { nx: 0, compose: 0, prep: 0 };
    for (const change of SERVICE_EDITS) {
      both(change.name, { change });
      allServices.nx += rows.at(-1).nx;
      allServices.compose += rows.at(-1).compose;
      allServices.prep += rows.at(-1).prep;
      settle();
    }
    rows.push({ scenario: 'all services', ...allServices, note: 'sum of the three one-line changes' });
    both(BASE_EDIT.name, { change: BASE_EDIT });
    settle();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printRows(rows);
}

function printRows(rows) {
  console.log(
    '\nscenario'.padEnd(22) + 'nx run-many'.padStart(13) + 'compose build'.padStart(15) + '(its prep)'.padStart(12) +
      'nx/compose'.padStart(12) + '   original notes',
  );
  const format = (seconds) => (seconds === undefined ? '-' : `${seconds.toFixed(1)} s`);
  for (const row of rows) {
    console.log(
      row.scenario.padEnd(21) + format(row.nx).padStart(13) + format(row.compose).padStart(15) +
        format(row.prep).padStart(12) + ratio(row.nx, row.compose).padStart(12) +
        `   ${NOTES[row.scenario] ?? ''}${row.note ? ` (${row.note})` : ''}`,
    );
  }
  console.log('(its prep): the Nx targets that make the inputs the Dockerfiles copy (rootfs, Go binary, weights, compiled API), included in the compose column.');
}

main();
