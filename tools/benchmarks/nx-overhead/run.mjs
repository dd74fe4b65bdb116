#!/usr/bin/env node
// What the nx-docker plugin costs every nx command, before and after a change, side by side in one run
// (issue 10's targets). Daemon off as in CI, warm Docker store, medians of BENCH_RUNS (default 5):
//   1. `nx show projects` with the plugin against the same workspace without it (nx.json entry removed);
//   2. a no-change `nx run-many -t docker-build` against a no-change `docker compose build` of the same images
//      (docker-compose.yml + docker-compose.build.yml, 4 stages, without the Nx prep targets);
//      1 and 2 also with NX_ISOLATE_PLUGINS=false, Nx's switch that loads plugins in its own process;
//   3. the preTasksExecution hook, called as Nx calls it, for a docker-build command and for `nx lint`.
//
//   node tools/benchmarks/nx-overhead/run.mjs [before-ref]     # default before-ref: BENCH_BEFORE or 809b00c
//
// Each side is a throw-away clone (node_modules linked, generated contexts and the Nx cache seeded from this
// checkout), so the checkout is never touched. It deletes no image; the images are this checkout's content.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const before = process.argv[2] ?? process.env.BENCH_BEFORE ?? '809b00c';
const baseEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', POSESTACK_TAG: 'compose-bench', ME_USER: 'b', ME_PASSWORD: 'b', ME_COOKIE_SECRET: 'b', ME_SESSION_SECRET: 'b' };

function run(command, args, cwd, env = {}) {
  const result = spawnSync(command, args, { cwd, env: { ...baseEnv, ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${result.status}):\n${(result.stdout + result.stderr).slice(-3000)}`);
  return result.stdout;
}

function seconds(command, args, cwd, env) {
  const started = performance.now();
  run(command, args, cwd, env);
  return (performance.now() - started) / 1000;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function cloneAt(ref) {
  const dir = mkdtempSync(join(tmpdir(), 'posestack-overhead-'));
  run('git', ['clone', '--quiet', '--shared', ROOT, dir], ROOT);
  run('git', ['checkout', '--quiet', '--detach', ref], dir);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const generated of ['pose-models', 'debian-root', 'ferretdb']) {
    if (existsSync(join(ROOT, 'dist', generated))) cpSync(join(ROOT, 'dist', generated), join(dir, 'dist', generated), { recursive: true });
  }
  // Its own Nx cache (the image-state records differ between plugin versions), seeded from the checkout's.
  if (existsSync(join(ROOT, '.nx', 'cache'))) cpSync(join(ROOT, '.nx', 'cache'), join(dir, '.nx', 'cache'), { recursive: true });
  return { ref, dir, env: { NX_CACHE_DIRECTORY: join(dir, '.nx', 'cache') } };
}

// The images compose builds, as setup.sh runs it: the SBOM scanner is built only before a release that asks for it.
const nxBuild = ['nx', 'run-many', '-t', 'docker-build', '--exclude=sbom-scanner', '--outputStyle=static'];
const COMPOSE_STAGES = [['debian-root'], ['base-node', 'base-python', 'ferretdb'], ['base-python-pose', 'mongo-express-image'], ['pose-service', 'backend-api', 'frontend']];
function composeBuild(dir) {
  for (const services of COMPOSE_STAGES) {
    run('docker', ['compose', '--project-directory', dir, '-f', join(dir, 'docker-compose.yml'), '-f', join(dir, 'docker-compose.build.yml'), '--profile', 'bases', 'build', ...services], dir);
  }
}

/** nx.json without the nx-docker entry, for the "no plugin" baseline; returns the undo. */
function withoutPlugin(dir) {
  const path = join(dir, 'nx.json');
  const original = readFileSync(path, 'utf8');
  const nxJson = JSON.parse(original);
  nxJson.plugins = nxJson.plugins.filter((plugin) => (typeof plugin === 'string' ? plugin : plugin.plugin) !== './tools/nx-docker');
  writeFileSync(path, JSON.stringify(nxJson));
  return () => writeFileSync(path, original);
}

/**
 * The hook called directly, after a run left the cached graph it reads. Nx's own timing (NX_PERF_LOGGING) is not
 * used: its observer prints asynchronously and an all-hit run exits before it does, so the line is often missing.
 * Sources go through swc-node so every ref loads the same way; module loading stays outside the timed part.
 */
const hookScript = `
const { preTasksExecution } = require('./tools/nx-docker/src/index.ts');
const nxJson = JSON.parse(require('node:fs').readFileSync('nx.json', 'utf8'));
const options = nxJson.plugins.find((p) => typeof p === 'object' && p.plugin === './tools/nx-docker').options;
const argv = ['node', 'nx', ...process.env.HOOK_ARGS.split(' ')];
const started = performance.now();
Promise.resolve(preTasksExecution(options, { id: 'bench', workspaceRoot: process.cwd(), nxJsonConfiguration: nxJson, argv }))
  .then(() => console.log('HOOK_MS=' + (performance.now() - started).toFixed(1)));
`;
function hookAloneMs(side, args) {
  const out = run(process.execPath, ['-r', '@swc-node/register', '-e', hookScript], side.dir, { ...side.env, HOOK_ARGS: args });
  return Number(/HOOK_MS=([\d.]+)/.exec(out)?.[1]);
}

function main() {
  const sides = [cloneAt(before), cloneAt('HEAD')];
  try {
    const cores = run('nproc', [], ROOT).trim();
    console.log(`nx-docker overhead: before ${before}, after HEAD (${run('git', ['rev-parse', '--short', 'HEAD'], ROOT).trim()}), ${cores} cores, daemon off, medians of ${RUNS}`);
    for (const side of sides) run('npx', nxBuild, side.dir, side.env); // warm-up: builds or re-tags what the seeds lack
    for (const side of sides) run('npx', nxBuild, side.dir, side.env); // the state records settle
    composeBuild(sides[1].dir);
    const samples = Object.fromEntries(
      sides.map((side) => [side.ref, { show: [], bare: [], build: [], inProcessShow: [], inProcessBare: [], inProcessBuild: [], daemonBuild: [], hookBuild: [], hookLint: [] }]),
    );
    const compose = [];
    for (let round = 0; round < RUNS; round++) {
      for (const side of sides) {
        const s = samples[side.ref];
        s.show.push(seconds('npx', ['nx', 'show', 'projects'], side.dir, side.env));
        // Nx's own switch (NX_ISOLATE_PLUGINS=false): plugins load in the nx process instead of one worker each.
        const inProcessEnv = { ...side.env, NX_ISOLATE_PLUGINS: 'false' };
        s.inProcessShow.push(seconds('npx', ['nx', 'show', 'projects'], side.dir, inProcessEnv));
        const undo = withoutPlugin(side.dir);
        try {
          s.bare.push(seconds('npx', ['nx', 'show', 'projects'], side.dir, side.env));
          s.inProcessBare.push(seconds('npx', ['nx', 'show', 'projects'], side.dir, inProcessEnv));
        } finally {
          undo();
        }
        s.build.push(seconds('npx', nxBuild, side.dir, side.env));
        s.inProcessBuild.push(seconds('npx', nxBuild, side.dir, inProcessEnv));
        s.hookBuild.push(hookAloneMs(side, nxBuild.slice(1).join(' ')));
        s.hookLint.push(hookAloneMs(side, 'run-many -t lint'));
      }
      const started = performance.now();
      composeBuild(sides[1].dir);
      compose.push((performance.now() - started) / 1000);
    }
    // With the daemon (every developer machine's default): the graph and the plugin stay loaded between commands.
    for (const side of sides) {
      const daemonEnv = { ...side.env, NX_DAEMON: 'true' };
      run('npx', ['nx', 'daemon', '--start'], side.dir, daemonEnv);
      try {
        run('npx', nxBuild, side.dir, daemonEnv); // the daemon computes the graph once
        for (let round = 0; round < RUNS; round++) samples[side.ref].daemonBuild.push(seconds('npx', nxBuild, side.dir, daemonEnv));
      } finally {
        run('npx', ['nx', 'daemon', '--stop'], side.dir, daemonEnv);
      }
    }
    const composeMedian = median(compose);
    console.log(`\ndocker compose build, no change, no prep (4 stages): ${composeMedian.toFixed(2)} s\n`);
    console.log('measure'.padEnd(48) + 'before'.padStart(12) + 'after'.padStart(12) + '   target');
    const row = (label, key, format, target) =>
      console.log(label.padEnd(48) + sides.map((side) => format(samples[side.ref], key).padStart(12)).join('') + `   ${target}`);
    const sec = (s, key) => `${median(s[key]).toFixed(2)} s`;
    const ms = (s, key) => `${median(s[key]).toFixed(0)} ms`;
    row('nx show projects, with the plugin', 'show', sec, '');
    row('nx show projects, without the plugin', 'bare', sec, '');
    row('  ratio with / without', 'show', (s) => `${(median(s.show) / median(s.bare)).toFixed(2)}x`, '<= 1.2x');
    row('no-change nx run-many -t docker-build', 'build', sec, '<= 1.5 s');
    row('  ratio to no-change compose build (no prep)', 'build', (s) => `${(median(s.build) / composeMedian).toFixed(2)}x`, '<= 0.5x');
    console.log('plugins in-process (NX_ISOLATE_PLUGINS=false):');
    row('  nx show projects, with / without the plugin', 'inProcessShow', (s) => `${(median(s.inProcessShow) / median(s.inProcessBare)).toFixed(2)}x`, '<= 1.2x');
    row('  nx show projects, without the plugin', 'inProcessBare', sec, '');
    row('  no-change nx run-many -t docker-build', 'inProcessBuild', sec, '<= 1.5 s');
    row('    ratio to no-change compose build (no prep)', 'inProcessBuild', (s) => `${(median(s.inProcessBuild) / composeMedian).toFixed(2)}x`, '<= 0.5x');
    row('the same with the Nx daemon on', 'daemonBuild', sec, '');
    row('  ratio to no-change compose build (no prep)', 'daemonBuild', (s) => `${(median(s.daemonBuild) / composeMedian).toFixed(2)}x`, '');
    row('preTasksExecution, docker-build tasks run', 'hookBuild', ms, '<= 150 ms');
    row('preTasksExecution, none run (run-many -t lint)', 'hookLint', ms, '~0 ms');
  } finally {
    for (const side of sides) rmSync(side.dir, { recursive: true, force: true });
  }
}

main();
