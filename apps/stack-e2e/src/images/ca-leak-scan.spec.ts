import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { gzipSync } from 'node:zlib';
import { scanFile, toNeedles } from './ca-leak-scan';

// The scanner's positive control: a search that can never find anything would prove nothing.
describe('scanFile', () => {
  const cert = new X509Certificate(rootCertificates[0]);
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ca-leak-control-'));
    const payload = Buffer.concat([Buffer.alloc(70000, 1), Buffer.from(cert.toString()), cert.raw, Buffer.alloc(5000, 2)]);
    writeFileSync(join(dir, 'plain'), payload);
    writeFileSync(join(dir, 'gzipped'), gzipSync(payload));
    writeFileSync(join(dir, 'clean'), Buffer.alloc(200000, 3));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the PEM text and the DER bytes of a certificate in plain and gzipped data', async () => {
    expect(await scanFile(join(dir, 'plain'), toNeedles(cert))).toHaveLength(2);
    expect(await scanFile(join(dir, 'gzipped'), toNeedles(cert))).toHaveLength(2);
  });

  it('finds nothing where the certificate is not', async () => {
    expect(await scanFile(join(dir, 'clean'), toNeedles(cert))).toHaveLength(0);
  });
});
