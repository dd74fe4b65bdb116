#!/usr/bin/env node
// The README's test command: every project's lint, test and e2e targets through Nx, then one closing line that
// sums the results of every runner (jest JSON and pytest JUnit files under dist/test-results), so CI and people
// read one figure whatever mix of runners ran. Cache hits restore those files, so they count too.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const resultsDir = join(process.cwd(), 'dist', 'test-results');
const targets = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['lint', 'test', 'e2e'];

// Stale files from an earlier run must not be counted; Nx puts back the ones of cached tasks.
rmSync(resultsDir, { recursive: true, force: true });
// jest writes its --outputFile but does not create the folder.
mkdirSync(resultsDir, { recursive: true });

const nx = spawnSync('npx', ['nx', 'run-many', '-t', ...targets, '--parallel=1', '--outputStyle=static'], {
  stdio: 'inherit',
});

function countJest(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0),
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

// JUnit XML (pytest, node's test runner): one <testcase> per test; its body says failed or skipped.
function countJunit(file) {
  const xml = readFileSync(file, 'utf8');
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const [, , body = ''] of xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    if (/<(failure|error)\b/.test(body)) counts.failed += 1;
    else if (/<skipped\b/.test(body)) counts.skipped += 1;
    else counts.passed += 1;
  }
  return counts;
}

const total = { passed: 0, failed: 0, skipped: 0 };
const files = existsSync(resultsDir) ? readdirSync(resultsDir).sort() : [];
for (const name of files) {
  const file = join(resultsDir, name);
  const counts = name.endsWith('.json') ? countJest(file) : name.endsWith('.xml') ? countJunit(file) : null;
  if (!counts) continue;
  console.log(`  ${name.replace(/\.(json|xml)$/, '').padEnd(28)} ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  for (const key of Object.keys(total)) total[key] += counts[key];
}

// A failing Nx run with no failed test (lint error, build error) still fails the command.
const status = nx.status ?? 1;
if (status !== 0 && total.failed === 0) console.log(`nx run-many exited with ${status} (a non-test target failed)`);
console.log(`Tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(status);
