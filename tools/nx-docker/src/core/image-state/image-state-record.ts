import { cacheDir } from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/write-file-atomic';
import type { RecordedImageState } from './image-state';

/**
 * Per content tag, the image-state value the last successful docker-build ran (and was hashed) with, and the
 * image id it left. Kept in the Nx cache directory so it travels with and is reset with the cache entries it
 * describes; one small file per tag so parallel tasks never overwrite each other. Losing it (or an old
 * format) costs one extra re-tag run, never a wrong hit.
 */
const recordDir = () => join(cacheDir, 'nx-docker-image-states');
const fileOf = (contentTagRef: string) => join(recordDir(), contentTagRef.replace(/[^A-Za-z0-9._-]/g, '_'));

export function readImageState(contentTagRef: string): RecordedImageState | undefined {
  try {
    const record = JSON.parse(readFileSync(fileOf(contentTagRef), 'utf8')) as Partial<RecordedImageState>;
    if (typeof record.state !== 'string' || typeof record.imageId !== 'string') return undefined;
    return {
      state: record.state,
      imageId: record.imageId,
      ...(typeof record.basis === 'string' ? { basis: record.basis } : {}),
      ...(typeof record.sharedTo === 'string' ? { sharedTo: record.sharedTo } : {}),
    };
  } catch {
    return undefined;
  }
}

export function recordImageState(contentTagRef: string, record: RecordedImageState): void {
  writeFileAtomic(fileOf(contentTagRef), JSON.stringify(record));
}
