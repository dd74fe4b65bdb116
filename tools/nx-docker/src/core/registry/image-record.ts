import { createHash } from 'node:crypto';
import { z } from 'zod';
import { packSingleFileTar, readSingleFileTar } from './single-file-tar';

/**
 * The image record: after a push to the cache registry, the manifest digest that push produced, written once
 * under a hash derived from the content key alone into the Nx remote cache the workspace already uses. A
 * registry tag can be overwritten by anyone who can push; the record cannot (the protocol never overwrites an
 * entry: 409, and it needs a read-write token). A restore pulls `<repository>@<digest>`, which is the recorded
 * content or nothing, and a tag now pointing elsewhere is reported as tampered with.
 *
 * Everything here is pure: the HTTP calls are in nx-remote-cache.ts, the Docker calls in run-plan.ts.
 */

const digestPattern = /^sha256:[0-9a-f]{64}$/;

const imageRecordSchema = z.strictObject({
  schema: z.literal('nx-docker/image-record@1'),
  contentKey: z.string().regex(/^[0-9a-f]{64}$/),
  platforms: z.array(z.string()),
  /** The content tag it was pushed as, e.g. `ghcr.io/acme/cache/posestack/app:nx-0123456789abcdef`. */
  ref: z.string(),
  /** The digest the registry holds for that tag after the push: the image index's, or the manifest's. */
  digest: z.string().regex(digestPattern),
});

export type ImageRecord = z.infer<typeof imageRecordSchema>;

const recordFileName = 'nx-docker-image-record.json';

/**
 * The cache hash of a content key's record. Decimal digits of 64 bits, the shape of Nx's own task hashes (an
 * xxh3-64 printed as an unsigned integer), so any server that stores Nx's entries accepts it; the prefix keeps
 * it apart from a task hash of the same text. A chance collision with a task entry reads as an invalid record.
 */
export function toImageRecordHash(contentKey: string): string {
  return createHash('sha256').update(`nx-docker image record v1\n${contentKey}`).digest().readBigUInt64BE(0).toString();
}

export function toImageRecord(input: { contentKey: string; platforms: readonly string[]; ref: string; digest: string }): ImageRecord {
  return { schema: 'nx-docker/image-record@1', contentKey: input.contentKey, platforms: [...input.platforms], ref: input.ref, digest: input.digest };
}

/** The entry's body: a tar archive (what the protocol transfers) of one JSON file. */
export function encodeImageRecord(record: ImageRecord): Buffer {
  return packSingleFileTar(recordFileName, Buffer.from(`${JSON.stringify(record, null, 2)}\n`));
}

/** Reads an entry's body as the record of `contentKey`, or says why it is not one. */
export function decodeImageRecord(body: Buffer, contentKey: string): { record: ImageRecord } | { error: string } {
  const file = readSingleFileTar(body);
  if ('error' in file) return file;
  if (file.name !== recordFileName) return { error: `the entry holds ${JSON.stringify(file.name)}, not ${recordFileName}` };
  let json: unknown;
  try {
    json = JSON.parse(file.content.toString('utf8'));
  } catch (error) {
    return { error: `${recordFileName} is not JSON (${(error as Error).message})` };
  }
  const parsed = imageRecordSchema.safeParse(json);
  if (!parsed.success) return { error: `${recordFileName} is not an image record: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}` };
  if (parsed.data.contentKey !== contentKey) return { error: `it is the record of content key ${parsed.data.contentKey}` };
  return { record: parsed.data };
}

/** What the Nx remote cache said about a content key's record. */
export type RecordLookup =
  | { kind: 'found'; record: ImageRecord }
  /** 404: nothing recorded (an image pushed before records existed, or by a machine with a read-only token). */
  | { kind: 'absent' }
  /** No remote cache configured on this machine. */
  | { kind: 'off' }
  /** 401/403, the server unreachable or failing: no answer about the record. */
  | { kind: 'unanswered'; reason: string }
  /** An entry exists under the record's hash but is not this key's record: something is wrong with the store. */
  | { kind: 'invalid'; reason: string };

export function readRecordResponse(contentKey: string, response: { status: number; body: Buffer; text: string }): RecordLookup {
  if (response.status === 200) {
    const decoded = decodeImageRecord(response.body, contentKey);
    return 'record' in decoded ? { kind: 'found', record: decoded.record } : { kind: 'invalid', reason: decoded.error };
  }
  if (response.status === 404) return { kind: 'absent' };
  return { kind: 'unanswered', reason: describeRefusal(response.status, response.text) };
}

export type RecordWrite = { kind: 'recorded' } | { kind: 'exists' } | { kind: 'read-only'; reason: string } | { kind: 'failed'; reason: string };

export function readRecordWriteResponse(response: { status: number; text: string }): RecordWrite {
  if (response.status >= 200 && response.status < 300) return { kind: 'recorded' };
  if (response.status === 409) return { kind: 'exists' };
  if (response.status === 403) return { kind: 'read-only', reason: describeRefusal(response.status, response.text) };
  return { kind: 'failed', reason: describeRefusal(response.status, response.text) };
}

function describeRefusal(status: number, text: string): string {
  const message = text.trim().split('\n')[0]?.slice(0, 200);
  return `HTTP ${status}${message ? `: ${message}` : ''}`;
}

/**
 * How to restore a content tag, given the record lookup: pull the recorded digest (the content is then exactly
 * what was pushed), pull the tag and trust its content-key label (no record to check it against), or build.
 */
export type RestoreStep =
  | { verify: 'digest'; pullRef: string; record: ImageRecord }
  | { verify: 'label'; pullRef: string; note: string }
  | { verify: 'none'; reason: string };

export function planRestore(target: { ref: string; repository: string }, lookup: RecordLookup): RestoreStep {
  const byLabel = (why: string): RestoreStep => ({
    verify: 'label',
    pullRef: target.ref,
    note: `the digest of ${target.ref} could not be verified: ${why}; checking its content-key label only`,
  });
  switch (lookup.kind) {
    case 'found':
      return { verify: 'digest', pullRef: `${target.repository}@${lookup.record.digest}`, record: lookup.record };
    case 'absent':
      return byLabel('no digest record for it in the Nx remote cache (pushed before records existed, or without a read-write token)');
    case 'off':
      return byLabel('no Nx remote cache is configured (NX_SELF_HOSTED_REMOTE_CACHE_SERVER)');
    case 'unanswered':
      return byLabel(`the Nx remote cache did not answer for its record (${lookup.reason})`);
    case 'invalid':
      return { verify: 'none', reason: `the Nx remote cache's record for ${target.ref} is unusable (${lookup.reason}); building instead of trusting the tag` };
  }
}

/**
 * Compares where the tag points now (`tagDigests`: the digests `docker buildx imagetools inspect` read for it,
 * the served manifest's first; undefined when the tag is gone) with the record. A warning when it moved.
 */
export function judgeTag(ref: string, record: ImageRecord, tagDigests: readonly string[] | undefined): string | undefined {
  if (tagDigests === undefined) return `note: ${ref} is no longer in the cache registry; restoring the recorded digest ${record.digest}`;
  if (tagDigests[0] === record.digest) return undefined;
  return (
    `warning: the content tag ${ref} in the cache registry was tampered with: it points at ${tagDigests[0]}, but the digest recorded when it was pushed is ${record.digest} ` +
    '(overwritten by someone who can push, or by a second machine that pushed the same key at the same time); its content is not used, the recorded digest is'
  );
}
