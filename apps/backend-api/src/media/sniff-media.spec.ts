import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sniffMedia } from './sniff-media';

const fixture = (name: string) => readFileSync(join(__dirname, '../../tests/fixtures', name));

describe('sniffMedia', () => {
  it('recognises the fixtures by content', () => {
    expect(sniffMedia(fixture('astronaut.jpg'))).toEqual({ kind: 'image', contentType: 'image/jpeg' });
    expect(sniffMedia(fixture('walk.mp4'))).toEqual({ kind: 'video', contentType: 'video/mp4' });
  });

  it('tells the RIFF and ISO-BMFF family members apart', () => {
    expect(sniffMedia(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))?.contentType).toBe('image/webp');
    expect(sniffMedia(Buffer.from('RIFF\0\0\0\0AVI LIST'))?.contentType).toBe('video/x-msvideo');
    expect(sniffMedia(Buffer.from('\0\0\0\x14ftypqt  '))?.contentType).toBe('video/quicktime');
    expect(sniffMedia(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f]))?.contentType).toBe('video/webm');
    expect(sniffMedia(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))?.contentType).toBe('image/png');
  });

  it('rejects text, PDFs and short files', () => {
    expect(sniffMedia(Buffer.from('hello world, not an image'))).toBeUndefined();
    expect(sniffMedia(Buffer.from('%PDF-1.7\n'))).toBeUndefined();
    expect(sniffMedia(Buffer.from([0xff]))).toBeUndefined();
  });
});
