import {
  encodeImageRecord,
  readRecordResponse,
  readRecordWriteResponse,
  toImageRecord,
  toImageRecordHash,
  type RecordLookup,
} from '../../../core/registry/image-record';
import { getCacheEntry, putCacheEntry, type NxRemoteCache } from '../../../core/registry/nx-remote-cache';
import type { RegistryTarget } from './plan-build';

/** Where digest records live for this run, and how a warning is given once per nx command. */
export interface RecordStore {
  cache?: NxRemoteCache;
  warnOnce(what: string, message: string): void;
}

/** The thin HTTP side of image records: the decisions are in core/registry/image-record.ts. */
export async function lookUpRecord(target: RegistryTarget, store: RecordStore): Promise<RecordLookup> {
  if (!store.cache) return { kind: 'off' };
  const response = await getCacheEntry(store.cache, toImageRecordHash(target.contentKey));
  const lookup: RecordLookup = 'error' in response ? { kind: 'unanswered', reason: response.error } : readRecordResponse(target.contentKey, response);
  if (lookup.kind === 'unanswered') {
    store.warnOnce('record-unanswered', `warning: the Nx remote cache did not answer for image digest records (${lookup.reason}): restored images are checked by their content-key label only`);
  }
  return lookup;
}

/**
 * Records the digest a push produced. First writer wins (409): a record is never replaced, so a push that
 * raced another machine's for the same key leaves that machine's digest as the one others restore.
 */
export async function recordPush(target: RegistryTarget, digest: string | undefined, store: RecordStore): Promise<void> {
  if (!digest) {
    console.warn(`warning: docker push ${target.ref} printed no digest: no digest record written, so other machines check its content-key label only`);
    return;
  }
  if (!store.cache) {
    store.warnOnce(
      'record-off',
      'note: no Nx remote cache is configured (NX_SELF_HOSTED_REMOTE_CACHE_SERVER): the digests of pushed images are not recorded, so other machines check restored images by their content-key label only',
    );
    return;
  }
  const hash = toImageRecordHash(target.contentKey);
  const record = toImageRecord({ contentKey: target.contentKey, platforms: target.platforms, ref: target.ref, digest });
  const response = await putCacheEntry(store.cache, hash, encodeImageRecord(record));
  const outcome = 'error' in response ? ({ kind: 'failed', reason: response.error } as const) : readRecordWriteResponse(response);
  switch (outcome.kind) {
    case 'recorded':
      console.log(`recorded ${target.ref} as ${digest} in the Nx remote cache (entry ${hash})`);
      return;
    case 'exists': {
      const existing = await lookUpRecord(target, store);
      if (existing.kind !== 'found') {
        console.warn(`warning: the Nx remote cache holds an entry under ${hash}, the digest record hash of ${target.ref}, that could not be read as its record (${existing.kind === 'invalid' || existing.kind === 'unanswered' ? existing.reason : existing.kind})`);
      } else if (existing.record.digest !== digest) {
        console.warn(
          `warning: the Nx remote cache already records ${existing.record.digest} for ${target.ref} (first writer wins: another machine pushed this key too from a build that differs, or that digest was deleted from the registry); machines restoring it pull that digest, not this push's ${digest}`,
        );
      } else {
        console.log(`${target.ref} is already recorded as ${digest} in the Nx remote cache (entry ${hash})`);
      }
      return;
    }
    case 'read-only':
      store.warnOnce('record-read-only', `note: the Nx remote cache token is read-only (${outcome.reason}): the digests of pushed images are not recorded, so other machines check them by their content-key label only`);
      return;
    case 'failed':
      store.warnOnce('record-write-failed', `warning: could not record the digest of ${target.ref} in the Nx remote cache (${outcome.reason}): other machines check it by its content-key label only`);
      return;
  }
}
