#!/usr/bin/env node
// Prints a package.json holding only one stage's packages (image-deps.json), pinned to the root package.json
// versions. `npm install` against it plus the root package-lock.json keeps the locked transitive versions and
// drops everything else, so neither stage installs the workspace's 900 MB of unrelated tooling.
// Usage: node write-manifest.mjs <root-package.json> <build|runtime>
import { readFileSync } from 'node:fs';

const [rootManifestPath, stage] = process.argv.slice(2);
const stages = JSON.parse(readFileSync(new URL('./image-deps.json', import.meta.url), 'utf8'));
if (!rootManifestPath || !Array.isArray(stages[stage])) {
  console.error(`write-manifest: usage: write-manifest.mjs <root-package.json> <${Object.keys(stages).filter((k) => k !== '$comment').join('|')}>`);
  process.exit(2);
}
const root = JSON.parse(readFileSync(rootManifestPath, 'utf8'));
const pinned = { ...root.devDependencies, ...root.dependencies };
const missing = stages[stage].filter((name) => !(name in pinned));
if (missing.length > 0) {
  console.error(`write-manifest: ${missing.join(', ')} listed for stage "${stage}" in image-deps.json but not in ${rootManifestPath}`);
  process.exit(1);
}
const dependencies = Object.fromEntries(stages[stage].map((name) => [name, pinned[name]]));
process.stdout.write(`${JSON.stringify({ name: `posestack-frontend-${stage}`, private: true, dependencies }, null, 2)}\n`);
