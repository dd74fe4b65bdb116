import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import * as zlib from 'node:zlib';

/**
 * Finding the host's corporate/proxy CA inside built images. Which certificate: those in the host bundle
 * ($SSL_CERT_FILE and friends) that no public list carries (Debian's stock bundle, from a built image and the
 * host's ca-certificates package, and Node's built-in roots). Public CAs are legitimately in images
 * (ca-certificates, certifi); the proxy's own CA must never be. CA_LEAK_CERT=<file> names it explicitly.
 */

const pemPattern = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
export const bundleEnvNames = ['SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS', 'REQUESTS_CA_BUNDLE', 'PIP_CERT', 'CURL_CA_BUNDLE'];

export interface Needle {
  kind: 'PEM text' | 'DER bytes';
  bytes: Buffer;
  subject: string;
}

export function splitPems(text: string): X509Certificate[] {
  return (text.match(pemPattern) ?? []).map((pem) => new X509Certificate(pem));
}

export function docker(args: string[]): SpawnSyncReturns<string> {
  const result = spawnSync('docker', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`docker ${args.join(' ')} could not start: ${result.error.message}`, { cause: result.error });
  return result;
}

export function findHostBundle(env: NodeJS.ProcessEnv): { name: string; path: string } | undefined {
  if (env['CA_LEAK_CERT']) return { name: 'CA_LEAK_CERT', path: env['CA_LEAK_CERT'] };
  for (const name of bundleEnvNames) {
    const path = env[name];
    if (path && existsSync(path) && statSync(path).isFile()) return { name, path };
  }
  return undefined;
}

/**
 * The images this checkout built: the content tags recorded in dist/docker/<project>/image.json by the
 * docker-build targets (stack-e2e's e2e depends on all of them), one ref per image. Older builds of other
 * commits stay in the store under other content tags and are not this checkout's concern.
 * CA_LEAK_IMAGES="ref ..." names the images instead.
 */
export function listWorkspaceImages(env: NodeJS.ProcessEnv, workspaceRoot: string): string[] {
  if (env['CA_LEAK_IMAGES']) return env['CA_LEAK_IMAGES'].split(/\s+/).filter(Boolean);
  const recordsDir = join(workspaceRoot, 'dist', 'docker');
  const records = existsSync(recordsDir) ? readdirSync(recordsDir).map((project) => join(recordsDir, project, 'image.json')) : [];
  return records
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as { image: string; contentTag: string })
    .map((record) => `${record.image}:${record.contentTag}`)
    .sort();
}

/**
 * `docker save` of the images piped straight into `tar -x` (argument arrays, no shell), so the disk holds
 * one copy of their layers, not the archive and its extraction.
 */
export async function saveImagesInto(refs: readonly string[], dir: string): Promise<void> {
  const save = spawn('docker', ['save', ...refs], { stdio: ['ignore', 'pipe', 'pipe'] });
  const untar = spawn('tar', ['-x', '-C', dir], { stdio: ['pipe', 'ignore', 'pipe'] });
  save.stdout.pipe(untar.stdin);
  const collect = (stream: NodeJS.ReadableStream) => {
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    return () => text;
  };
  const saveErr = collect(save.stderr);
  const untarErr = collect(untar.stderr);
  const exitOf = (child: ReturnType<typeof spawn>) =>
    new Promise<number>((resolve, reject) => child.once('error', reject).once('close', (code) => resolve(code ?? 1)));
  const [saveCode, untarCode] = await Promise.all([exitOf(save), exitOf(untar)]);
  if (saveCode !== 0) throw new Error(`docker save failed (${saveCode}): ${saveErr()}`);
  if (untarCode !== 0) throw new Error(`tar -x of the saved images failed (${untarCode}): ${untarErr()}`);
}

function listCrtFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listCrtFiles(join(dir, entry.name)) : entry.name.endsWith('.crt') ? [join(dir, entry.name)] : [],
  );
}

/** Fingerprints of the certificates public lists carry: Debian's (an image's bundle + the host package) and Node's. */
export function publicFingerprints(images: readonly string[]): Set<string> {
  const fingerprints = new Set(rootCertificates.map((pem) => new X509Certificate(pem).fingerprint256));
  const stockImage = images.find((ref) => ref.startsWith('posestack/base-node:')) ?? images[0];
  const stock = docker(['run', '--rm', '--entrypoint', 'cat', stockImage, '/etc/ssl/certs/ca-certificates.crt']);
  if (stock.status === 0) for (const cert of splitPems(stock.stdout)) fingerprints.add(cert.fingerprint256);
  const packageDir = '/usr/share/ca-certificates';
  if (existsSync(packageDir)) {
    for (const file of listCrtFiles(packageDir)) for (const cert of splitPems(readFileSync(file, 'utf8'))) fingerprints.add(cert.fingerprint256);
  }
  return fingerprints;
}

/** Byte strings that identify a certificate in any copy: a 48-character slice of its base64 body, and DER bytes. */
export function toNeedles(cert: X509Certificate): Needle[] {
  const body = cert.toString().replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const line = Math.floor(body.length / 64 / 2);
  const der = cert.raw;
  return [
    { kind: 'PEM text', bytes: Buffer.from(body.slice(line * 64 + 8, line * 64 + 56)), subject: cert.subject },
    { kind: 'DER bytes', bytes: der.subarray(der.length - 64, der.length - 16), subject: cert.subject },
  ];
}

/** Streams one file (gunzipped or zstd-decompressed when compressed) and returns the needles it holds. */
export async function scanFile(path: string, needles: readonly Needle[]): Promise<Needle[]> {
  const head = Buffer.alloc(4);
  let offset = 0;
  for await (const chunk of createReadStream(path, { start: 0, end: 3 })) offset += (chunk as Buffer).copy(head, offset);
  let stream: Readable = createReadStream(path);
  if (head[0] === 0x1f && head[1] === 0x8b) stream = stream.pipe(zlib.createGunzip());
  else if (offset === 4 && head.readUInt32LE(0) === 0xfd2fb528) {
    const createZstd = (zlib as unknown as { createZstdDecompress?: () => NodeJS.ReadWriteStream }).createZstdDecompress;
    if (!createZstd) throw new Error(`${path} is zstd-compressed and this Node has no zstd`);
    stream = stream.pipe(createZstd()) as unknown as Readable;
  }
  const overlap = Math.max(...needles.map((needle) => needle.bytes.length)) - 1;
  const found = new Set<Needle>();
  let tail = Buffer.alloc(0);
  for await (const chunk of stream) {
    const window = Buffer.concat([tail, chunk as Buffer]);
    for (const needle of needles) if (window.indexOf(needle.bytes) !== -1) found.add(needle);
    tail = window.subarray(Math.max(0, window.length - overlap));
  }
  return [...found];
}

export function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : [],
  );
}
