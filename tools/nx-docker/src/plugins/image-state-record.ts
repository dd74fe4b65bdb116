import { cacheDir } from '@nx/devkit';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Per content tag, the image-state value the last successful docker-build ran (and was hashed) with. Kept in
 * the Nx cache directory so it travels with and is reset with the cache entries it describes; one small file
 * per tag so parallel tasks never overwrite each other. Losing it costs one extra re-tag run, never a wrong hit.
 */
const recordDir = () => join(cacheDir, 'nx-docker-image-states');
const fileOf = (contentTagRef: string) => join(recordDir(), contentTagRef.replace(/[^A-Za-z0-9._-]/g, '_'));

export function readImageState(contentTagRef: string): string | undefined {
  try {
    return readFileSync(fileOf(contentTagRef), 'utf8');
  } catch {
    return undefined;
  }
}

export function recordImageState(contentTagRef: string, state: string): void {
  mkdirSync(recordDir(), { recursive: true });
  const temp = `${fileOf(contentTagRef)}.${process.pid}.tmp`;
  writeFileSync(temp, state);
  renameSync(temp, fileOf(contentTagRef));
}
