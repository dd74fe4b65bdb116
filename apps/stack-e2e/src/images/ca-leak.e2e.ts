import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { itWhen } from '../support/stack-test';
import { WORKSPACE_ROOT } from '../support/stack-state';
import { bundleEnvNames, findHostBundle, listFiles, listWorkspaceImages, publicFingerprints, saveImagesInto, scanFile, splitPems, toNeedles } from './ca-leak-scan';

/**
 * The corporate CA reaches builds only as a BuildKit secret: its certificate must be in no layer and no config
 * of any image this checkout built. One `docker save` of all of them (layers, configs with env,
 * labels and history), each file searched for the private certificates' PEM text and DER bytes.
 */
const bundle = findHostBundle(process.env);
const refs = listWorkspaceImages(process.env, WORKSPACE_ROOT);
const privateCerts = (() => {
  if (!bundle || refs.length === 0) return [];
  const known = bundle.name === 'CA_LEAK_CERT' ? new Set<string>() : publicFingerprints(refs);
  return splitPems(readFileSync(bundle.path, 'utf8')).filter((cert) => !known.has(cert.fingerprint256));
})();

const skipReason = !bundle
  ? `no CA bundle configured (${bundleEnvNames.join(', ')} and CA_LEAK_CERT unset): nothing could leak`
  : refs.length === 0
    ? 'no image of this checkout is built yet (dist/docker/*/image.json): run npx nx run-many -t docker-build first'
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
        await saveImagesInto(refs, dir);

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
