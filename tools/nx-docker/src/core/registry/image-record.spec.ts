import {
  decodeImageRecord,
  encodeImageRecord,
  judgeTag,
  planRestore,
  readRecordResponse,
  readRecordWriteResponse,
  toImageRecord,
  toImageRecordHash,
} from './image-record';
import { packSingleFileTar } from './single-file-tar';

const key = 'a'.repeat(64);
const otherKey = 'b'.repeat(64);
const digest = `sha256:${'1'.repeat(64)}`;
const forged = `sha256:${'2'.repeat(64)}`;
const target = { ref: 'reg:5000/cache/posestack/app:nx-aaaaaaaaaaaaaaaa', repository: 'reg:5000/cache/posestack/app' };
const record = toImageRecord({ contentKey: key, platforms: ['linux/amd64'], ref: target.ref, digest });
const response = (status: number, body: Buffer | string = '') => {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return { status, body: bytes, text: bytes.toString('utf8') };
};

describe('toImageRecordHash', () => {
  it('is the shape of an Nx task hash (an unsigned 64-bit decimal), one per content key, stable', () => {
    const hash = toImageRecordHash(key);
    expect(hash).toMatch(/^\d{1,20}$/);
    expect(BigInt(hash) < 2n ** 64n).toBe(true);
    expect(toImageRecordHash(key)).toBe(hash);
    expect(toImageRecordHash(otherKey)).not.toBe(hash);
    // A fixed value: records written by one version are found by the next.
    expect(toImageRecordHash('0'.repeat(64))).toBe('9897125168846322206');
  });
});

describe('image record bodies', () => {
  it('round-trips as a tar archive of one JSON file', () => {
    const body = encodeImageRecord(record);
    expect(body.length % 512).toBe(0);
    expect(decodeImageRecord(body, key)).toEqual({ record });
  });

  it('refuses the record of another key, another file, and anything that is not a record', () => {
    expect(decodeImageRecord(encodeImageRecord(record), otherKey)).toEqual({ error: `it is the record of content key ${key}` });
    expect(decodeImageRecord(packSingleFileTar('terminalOutput', Buffer.from('x')), key)).toEqual({ error: 'the entry holds "terminalOutput", not nx-docker-image-record.json' });
    expect(decodeImageRecord(packSingleFileTar('nx-docker-image-record.json', Buffer.from('{')), key)).toMatchObject({ error: expect.stringMatching(/is not JSON/) });
    const badDigest = packSingleFileTar('nx-docker-image-record.json', Buffer.from(JSON.stringify({ ...record, digest: 'sha256:abc' })));
    expect(decodeImageRecord(badDigest, key)).toMatchObject({ error: expect.stringMatching(/is not an image record: .*digest/) });
  });
});

describe('reading the cache server', () => {
  it('maps GET answers to a lookup', () => {
    expect(readRecordResponse(key, response(200, encodeImageRecord(record)))).toEqual({ kind: 'found', record });
    expect(readRecordResponse(key, response(404, 'no cache entry'))).toEqual({ kind: 'absent' });
    expect(readRecordResponse(key, response(401, 'missing or unknown access token\n'))).toEqual({ kind: 'unanswered', reason: 'HTTP 401: missing or unknown access token' });
    expect(readRecordResponse(key, response(200, 'not a tar'))).toMatchObject({ kind: 'invalid' });
  });

  it('maps PUT answers: 409 is the first writer winning, 403 a read-only token', () => {
    expect(readRecordWriteResponse(response(200, 'stored'))).toEqual({ kind: 'recorded' });
    expect(readRecordWriteResponse(response(409, 'exists'))).toEqual({ kind: 'exists' });
    expect(readRecordWriteResponse(response(403, 'this access token is read-only'))).toEqual({ kind: 'read-only', reason: 'HTTP 403: this access token is read-only' });
    expect(readRecordWriteResponse(response(500))).toEqual({ kind: 'failed', reason: 'HTTP 500' });
  });
});

describe('planRestore', () => {
  it('pulls the recorded digest when there is a record', () => {
    expect(planRestore(target, { kind: 'found', record })).toEqual({ verify: 'digest', pullRef: `${target.repository}@${digest}`, record });
  });

  it('pulls the tag and checks the label only without a record, saying the digest was not verified and why', () => {
    for (const [lookup, why] of [
      [{ kind: 'absent' }, /no digest record for it/],
      [{ kind: 'off' }, /no Nx remote cache is configured/],
      [{ kind: 'unanswered', reason: 'HTTP 403' }, /did not answer for its record \(HTTP 403\)/],
    ] as const) {
      const step = planRestore(target, lookup);
      expect(step).toMatchObject({ verify: 'label', pullRef: target.ref });
      expect(step.verify === 'label' && step.note).toMatch(/^the digest of \S+ could not be verified: /);
      expect(step.verify === 'label' && step.note).toMatch(why);
    }
  });

  it('builds when the entry under the record hash is not a record of this key', () => {
    expect(planRestore(target, { kind: 'invalid', reason: 'it is the record of content key b' })).toMatchObject({ verify: 'none', reason: expect.stringMatching(/unusable \(it is the record of content key b\); building/) });
  });
});

describe('judgeTag', () => {
  it('says nothing while the tag points at the recorded digest', () => {
    expect(judgeTag(target.ref, record, [digest, 'sha256:config'])).toBeUndefined();
  });

  it('warns, naming the tag and both digests, when the tag points elsewhere', () => {
    const warning = judgeTag(target.ref, record, [forged, 'sha256:config']);
    expect(warning).toContain(`the content tag ${target.ref} in the cache registry was tampered with: it points at ${forged}, but the digest recorded when it was pushed is ${digest}`);
  });

  it('notes a tag that is gone', () => {
    expect(judgeTag(target.ref, record, undefined)).toMatch(/is no longer in the cache registry; restoring the recorded digest/);
  });
});
