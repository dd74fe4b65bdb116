import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { itWhen } from '../support/stack-test';
import { bundleEnvNames, docker, findHostBundle, listFiles, listWorkspaceImages, publicFingerprints, scanFile, splitPems, toNeedles } from './ca-leak-scan';

/**
 * The corporate CA reaches builds only as a BuildKit secret: its certificate must be in no layer and no config
 * of any built workspace image. One `docker save` of every posestack/* image (layers, configs with env,
 * labels and history), each file searched for the private certificates' PEM text and DER bytes.
 */
const bundle = findHostBundle(process.env);
const images = listWorkspaceImages(process.env);
const refs = 'refs' in images ? images.refs : [];
const privateCerts = (() => {
  if (!bundle || refs.length === 0) return [];
  const known = bundle.name === 'CA_LEAK_CERT' ? new Set<string>() : publicFingerprints(refs);
  return splitPems(readFileSync(bundle.path, 'utf8')).filter((cert) => !known.has(cert.fingerprint256));
})();

const skipReason = !bundle
  ? `no CA bundle configured (${bundleEnvNames.join(', ')} and CA_LEAK_CERT unset): nothing could leak`
  : 'error' in images
    ? `Docker is not usable: ${images.error}`
    : refs.length === 0
      ? 'no posestack/* image is built yet: run npx nx run-many -t docker-build first'
      : privateCerts.length === 0
        ? `every certificate in ${bundle.name}=${bundle.path} is a public CA: no private CA to look for`
        : undefined;

describe('images', () => {
  itWhen(
    skipReason,
    'no built workspace image contains the host CA certificate',
    async () => {
      console.log(
        `ca-leak: looking for ${privateCerts.map((cert) => `"${cert.subject.replace(/\n/g, ', ')}"`).join(', ')} ` +
          `in ${refs.length} images: ${refs.join(' ')}`,
      );
      const dir = mkdtempSync(join(process.env['CA_LEAK_TMPDIR'] ?? '/var/tmp', 'ca-leak-'));
      try {
        // One save of all images: shared layers are written (and searched) once.
        const saved = docker(['save', '-o', join(dir, 'images.tar'), ...refs]);
        if (saved.status !== 0) throw new Error(`docker save failed: ${saved.stderr}`);
        const untar = spawnSync('tar', ['-xf', join(dir, 'images.tar'), '-C', dir], { encoding: 'utf8' });
        if (untar.status !== 0) throw new Error(`tar -x of the saved images failed: ${untar.stderr}`);
        rmSync(join(dir, 'images.tar'));

        const needles = privateCerts.flatMap((cert) => toNeedles(cert));
        const files = listFiles(dir);
        const leaks: string[] = [];
        for (const file of files) {
          for (const needle of await scanFile(file, needles)) leaks.push(`${file.slice(dir.length + 1)}: ${needle.kind} of "${needle.subject}"`);
        }
        console.log(`ca-leak: searched ${files.length} files (layers, configs, manifests), ${leaks.length} matches`);
        expect(leaks).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    600_000,
  );
});
