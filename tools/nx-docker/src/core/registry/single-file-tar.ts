/**
 * A tar archive of exactly one regular file, and its reader. Nx's self-hosted cache protocol transfers tar
 * archives, so an image record (image-record.ts) travels as one: a server that looks inside an entry finds a
 * well-formed archive. Hand-written because it is one 512-byte ustar header: the only tar library installed
 * (tar-stream) is nx's own dependency, not one of ours, and a stream API for one small file buys nothing.
 */

const block = 512;

function writeField(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value, offset, length, 'ascii');
}

/** An octal number field: digits, then a NUL, as GNU tar and POSIX ustar write it. */
function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

export function packSingleFileTar(name: string, content: Buffer, mtimeSeconds = 0): Buffer {
  if (Buffer.byteLength(name) > 100 || !/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`not a plain tar entry name: ${JSON.stringify(name)}`);
  const header = Buffer.alloc(block);
  writeField(header, 0, 100, name);
  writeField(header, 100, 8, octal(0o644, 8));
  writeField(header, 108, 8, octal(0, 8));
  writeField(header, 116, 8, octal(0, 8));
  writeField(header, 124, 12, octal(content.length, 12));
  writeField(header, 136, 12, octal(mtimeSeconds, 12));
  header.fill(' ', 148, 156); // The checksum is computed with its own field as spaces.
  writeField(header, 156, 1, '0');
  writeField(header, 257, 6, 'ustar\0');
  writeField(header, 263, 2, '00');
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  writeField(header, 148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
  const padding = Buffer.alloc((block - (content.length % block)) % block);
  // Two zero blocks end the archive.
  return Buffer.concat([header, content, padding, Buffer.alloc(2 * block)]);
}

/** The first regular file of a tar archive, or an error that says what is wrong with the archive. */
export function readSingleFileTar(archive: Buffer): { name: string; content: Buffer } | { error: string } {
  if (archive.length < block) return { error: `${archive.length} bytes, shorter than one tar header` };
  const header = archive.subarray(0, block);
  const stored = Number.parseInt(header.toString('ascii', 148, 156).replace(/[\0 ]/g, ''), 8);
  const computed = header.reduce((sum, byte, index) => sum + (index >= 148 && index < 156 ? 0x20 : byte), 0);
  if (stored !== computed) return { error: 'not a tar archive (header checksum mismatch)' };
  const type = header.toString('ascii', 156, 157);
  if (type !== '0' && type !== '\0') return { error: `the first tar entry is not a regular file (type ${JSON.stringify(type)})` };
  const size = Number.parseInt(header.toString('ascii', 124, 136).replace(/[\0 ]/g, ''), 8);
  if (!Number.isSafeInteger(size) || block + size > archive.length) return { error: 'the tar entry is truncated' };
  return { name: header.toString('ascii', 0, 100).replace(/\0.*$/s, ''), content: Buffer.from(archive.subarray(block, block + size)) };
}
