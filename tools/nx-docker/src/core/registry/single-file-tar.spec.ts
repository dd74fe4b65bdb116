import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packSingleFileTar, readSingleFileTar } from './single-file-tar';

describe('single-file tar', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nx-docker-tar-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes an archive GNU tar lists and extracts', async () => {
    const content = Buffer.from('{"a":1}\n'.repeat(100));
    writeFileSync(join(dir, 'record.tar'), packSingleFileTar('record.json', content));
    expect((await execa('tar', ['-tvf', join(dir, 'record.tar')])).stdout).toMatch(/^-rw-r--r-- 0\/0\s+800 \S+ \S+ record\.json$/);
    const extracted = await execa('tar', ['-xOf', join(dir, 'record.tar'), 'record.json'], { encoding: 'buffer', stripFinalNewline: false });
    expect(Buffer.from(extracted.stdout).equals(content)).toBe(true);
  });

  it('reads the file of an archive GNU tar wrote', async () => {
    writeFileSync(join(dir, 'record.json'), 'hello\n');
    await execa('tar', ['--format=ustar', '-cf', 'made.tar', 'record.json'], { cwd: dir });
    expect(readSingleFileTar(readFileSync(join(dir, 'made.tar')))).toEqual({ name: 'record.json', content: Buffer.from('hello\n') });
  });

  it('round-trips, and says what is wrong with something that is not one', () => {
    expect(readSingleFileTar(packSingleFileTar('r.json', Buffer.alloc(0)))).toEqual({ name: 'r.json', content: Buffer.alloc(0) });
    expect(readSingleFileTar(Buffer.from('{"schema":1}'))).toEqual({ error: '12 bytes, shorter than one tar header' });
    expect(readSingleFileTar(Buffer.alloc(1024, 7))).toEqual({ error: 'not a tar archive (header checksum mismatch)' });
    const truncated = packSingleFileTar('r.json', Buffer.alloc(600, 1)).subarray(0, 700);
    expect(readSingleFileTar(truncated)).toEqual({ error: 'the tar entry is truncated' });
    expect(() => packSingleFileTar('../etc/passwd', Buffer.alloc(1))).toThrow(/not a plain tar entry name/);
  });
});
