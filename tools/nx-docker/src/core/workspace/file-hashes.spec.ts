import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../content-key';
import { FileHashes } from './file-hashes';

describe('FileHashes', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nx-docker-hashes-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps settled hashes across processes and re-hashes a file whose stat changed', () => {
    const file = join(dir, 'a.txt');
    const cachePath = join(dir, 'cache', 'hashes.json');
    writeFileSync(file, 'one');
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    const first = new FileHashes(cachePath);
    expect(first.hash(file)).toBe(sha256('one'));
    first.save();
    // Same size, mtime and inode with other content is trusted, as git's index trusts it (only a deliberate
    // rewrite that sets the mtime back looks like this)...
    writeFileSync(file, 'two');
    utimesSync(file, old, old);
    expect(new FileHashes(cachePath).hash(file)).toBe(sha256('one'));
    // ...and any stat change is seen.
    writeFileSync(file, 'three');
    expect(new FileHashes(cachePath).hash(file)).toBe(sha256('three'));
  });

  it('hashes an empty file and one of several read chunks exactly as the whole content', () => {
    const empty = join(dir, 'empty');
    const large = join(dir, 'large.bin');
    const content = Buffer.alloc((1 << 20) * 2 + 12345, 7);
    content.write('the last chunk is short', content.length - 30);
    writeFileSync(empty, '');
    writeFileSync(large, content);
    const hashes = new FileHashes();
    expect(hashes.hash(empty)).toBe(sha256(''));
    expect(hashes.hash(large)).toBe(sha256(content));
  });

  it('does not keep an entry written within the racy window', () => {
    const file = join(dir, 'b.txt');
    const cachePath = join(dir, 'hashes.json');
    writeFileSync(file, 'new');
    const hashes = new FileHashes(cachePath);
    hashes.hash(file);
    hashes.save();
    writeFileSync(file, 'neW');
    expect(new FileHashes(cachePath).hash(file)).toBe(sha256('neW'));
  });
});
