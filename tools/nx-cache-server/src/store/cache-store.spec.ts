import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { CacheStore, SizeMismatchError } from './cache-store';

let dir: string;
let store: CacheStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nx-cache-store-'));
  store = await CacheStore.open(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const bodyOf = (...chunks: string[]) => Readable.from(chunks.map((chunk) => Buffer.from(chunk)));

describe('CacheStore', () => {
  it('stores an entry once and reads it back', async () => {
    expect(await store.write('123456', bodyOf('tar', 'ball'), 7)).toBe('stored');
    const entry = await store.read('123456');
    expect(entry?.size).toBe(7);
    expect(await text(entry?.body ?? Readable.from([]))).toBe('tarball');
    expect(await readFile(join(dir, 'entries', '12', '123456'), 'utf8')).toBe('tarball');
  });

  it('never overwrites an entry: a second upload of the hash is "exists" and the first content stays', async () => {
    await store.write('42', bodyOf('first'), 5);
    expect(await store.write('42', bodyOf('other'), 5)).toBe('exists');
    expect(await text((await store.read('42'))?.body ?? Readable.from([]))).toBe('first');
    expect(await store.pendingUploads()).toBe(0);
  });

  it('lets exactly one of two concurrent uploads of a hash win', async () => {
    const outcomes = await Promise.all([store.write('7', bodyOf('aaaa'), 4), store.write('7', bodyOf('bbbb'), 4)]);
    expect([...outcomes].sort()).toEqual(['exists', 'stored']);
  });

  it('keeps nothing of a body whose size differs from its Content-Length', async () => {
    await expect(store.write('9', bodyOf('short'), 10)).rejects.toThrow(SizeMismatchError);
    await expect(store.write('9', bodyOf('much too long'), 4)).rejects.toThrow(SizeMismatchError);
    expect(await store.has('9')).toBe(false);
    expect(await store.pendingUploads()).toBe(0);
  });

  it('keeps nothing of an upload that breaks off', async () => {
    // Pushed by hand, then destroyed: a client that sent part of its body and went away.
    const broken = new Readable({ read: () => undefined });
    broken.push('part');
    setImmediate(() => broken.destroy(new Error('connection reset')));
    await expect(store.write('10', broken, 100)).rejects.toThrow('connection reset');
    expect(await store.has('10')).toBe(false);
    expect(await store.pendingUploads()).toBe(0);
  });

  it('refuses hashes that are not path-safe', async () => {
    await expect(store.read('../etc/passwd')).rejects.toThrow(/not a cache hash/);
  });

  it('answers undefined for an unknown hash', async () => {
    expect(await store.read('31337')).toBeUndefined();
  });
});
