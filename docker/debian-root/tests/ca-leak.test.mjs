// Proves that the host's corporate/proxy CA certificate is in no layer and no config of any built workspace
// image: `docker save` of every posestack/* image (layers, image config with env, labels and history), each
// file searched (gunzipped where compressed) for the certificate's PEM text and its DER bytes.
//
// Which certificate: those in the host bundle ($SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, ...) that no public list
// carries: not in Debian's stock bundle (taken from a built image and from the host's ca-certificates
// package) and not in Node's built-in roots. Public CAs are legitimately in images (ca-certificates, certifi),
// the proxy's own CA must never be. CA_LEAK_CERT=<file> names the certificate explicitly instead.
//
// CA_LEAK_IMAGES="ref ..." limits the search to those images (default: every posestack/* image).
// Skips, with the reason, where no CA bundle is configured, no private CA is found or no image is built.
// Run: node --test docker/debian-root/tests/ca-leak.test.mjs   (or: npx nx run debian-root:test-ca-leak)
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync, createGunzip } from 'node:zlib';
import * as zlib from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const pemPattern = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const bundleEnvNames = ['SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS', 'REQUESTS_CA_BUNDLE', 'PIP_CERT', 'CURL_CA_BUNDLE'];

function splitPems(text) {
  return (text.match(pemPattern) ?? []).map((pem) => new X509Certificate(pem));
}

function docker(args, options = {}) {
  const result = spawnSync('docker', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw new Error(`docker ${args.join(' ')} could not start: ${result.error.message}`, { cause: result.error });
  return result;
}

function findHostBundle() {
  for (const name of bundleEnvNames) {
    const path = process.env[name];
    if (path && existsSync(path) && statSync(path).isFile()) return { name, path };
  }
  return undefined;
}

function listWorkspaceImages() {
  if (process.env.CA_LEAK_IMAGES) return { refs: process.env.CA_LEAK_IMAGES.split(/\s+/).filter(Boolean) };
  const result = docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}', '--filter', 'reference=posestack/*']);
  if (result.status !== 0) return { error: `docker image ls failed: ${result.stderr.trim()}` };
  const byId = new Map();
  for (const line of result.stdout.split('\n').filter(Boolean)) {
    const [ref, id] = line.split(' ');
    if (!ref.endsWith(':<none>') && !byId.has(id)) byId.set(id, ref);
  }
  return { refs: [...byId.values()].sort() };
}

/** Certificates that public lists carry: Debian's (image + host package) and Node's roots, by fingerprint. */
function publicFingerprints(images) {
  const fingerprints = new Set(rootCertificates.map((pem) => new X509Certificate(pem).fingerprint256));
  const stockImage = images.find((ref) => ref.startsWith('posestack/base-node:')) ?? images[0];
  const stock = docker(['run', '--rm', '--entrypoint', 'cat', stockImage, '/etc/ssl/certs/ca-certificates.crt']);
  if (stock.status === 0) for (const cert of splitPems(stock.stdout)) fingerprints.add(cert.fingerprint256);
  const packageDir = '/usr/share/ca-certificates';
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.crt') ? [join(dir, entry.name)] : [],
    );
  if (existsSync(packageDir)) {
    for (const file of walk(packageDir)) for (const cert of splitPems(readFileSync(file, 'utf8'))) fingerprints.add(cert.fingerprint256);
  }
  return fingerprints;
}

/** Byte strings that identify a certificate in any copy: a 48-character slice of its base64 body, and DER bytes. */
export function toNeedles(cert) {
  const body = cert.toString().replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const line = Math.floor(body.length / 64 / 2);
  const der = cert.raw;
  return [
    { kind: 'PEM text', bytes: Buffer.from(body.slice(line * 64 + 8, line * 64 + 56)) },
    { kind: 'DER bytes', bytes: der.subarray(der.length - 64, der.length - 16) },
  ];
}

/** Streams one file (gunzipped or zstd-decompressed when it is compressed) and reports the needles it holds. */
export async function scanFile(path, needles) {
  const head = Buffer.alloc(4);
  const stream0 = createReadStream(path, { start: 0, end: 3 });
  let offset = 0;
  for await (const chunk of stream0) offset += chunk.copy(head, offset);
  let stream = createReadStream(path);
  if (head[0] === 0x1f && head[1] === 0x8b) stream = stream.pipe(createGunzip());
  else if (head.readUInt32LE(0) === 0xfd2fb528) {
    if (typeof zlib.createZstdDecompress !== 'function') throw new Error(`${path} is zstd-compressed and this Node has no zstd`);
    stream = stream.pipe(zlib.createZstdDecompress());
  }
  const overlap = Math.max(...needles.map((needle) => needle.bytes.length)) - 1;
  const found = new Set();
  let tail = Buffer.alloc(0);
  for await (const chunk of stream) {
    const window = Buffer.concat([tail, chunk]);
    for (const needle of needles) if (window.indexOf(needle.bytes) !== -1) found.add(needle);
    tail = window.subarray(Math.max(0, window.length - overlap));
  }
  return [...found];
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : [],
  );
}

test('the scanner finds a certificate in plain and gzipped data (positive control)', async () => {
  const cert = new X509Certificate(rootCertificates[0]);
  const dir = mkdtempSync(join(tmpdir(), 'ca-leak-control-'));
  try {
    const payload = Buffer.concat([Buffer.alloc(70000, 1), Buffer.from(cert.toString()), cert.raw, Buffer.alloc(5000, 2)]);
    writeFileSync(join(dir, 'plain'), payload);
    writeFileSync(join(dir, 'gzipped'), gzipSync(payload));
    writeFileSync(join(dir, 'clean'), Buffer.alloc(200000, 3));
    const needles = toNeedles(cert);
    assert.equal((await scanFile(join(dir, 'plain'), needles)).length, 2);
    assert.equal((await scanFile(join(dir, 'gzipped'), needles)).length, 2);
    assert.equal((await scanFile(join(dir, 'clean'), needles)).length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no built workspace image contains the host CA certificate', async (t) => {
  const bundle = process.env.CA_LEAK_CERT ? { name: 'CA_LEAK_CERT', path: process.env.CA_LEAK_CERT } : findHostBundle();
  if (!bundle) return t.skip(`no CA bundle configured (${bundleEnvNames.join(', ')} and CA_LEAK_CERT unset): nothing could leak`);
  const images = listWorkspaceImages();
  if (images.error) return t.skip(`Docker is not usable: ${images.error}`);
  if (images.refs.length === 0) return t.skip('no posestack/* image is built yet: run npx nx run-many -t docker-build first');

  const hostCerts = splitPems(readFileSync(bundle.path, 'utf8'));
  const known = bundle.name === 'CA_LEAK_CERT' ? new Set() : publicFingerprints(images.refs);
  const privateCerts = hostCerts.filter((cert) => !known.has(cert.fingerprint256));
  if (privateCerts.length === 0) return t.skip(`every certificate in ${bundle.name}=${bundle.path} is a public CA: no private CA to look for`);
  t.diagnostic(`looking for ${privateCerts.map((cert) => `"${cert.subject.replace(/\n/g, ', ')}"`).join(', ')} from ${bundle.name}=${bundle.path}`);
  t.diagnostic(`in ${images.refs.length} images: ${images.refs.join(' ')}`);

  const dir = mkdtempSync(join(process.env.CA_LEAK_TMPDIR ?? '/var/tmp', 'ca-leak-'));
  try {
    // One save of all images: shared layers are written (and searched) once.
    const saved = docker(['save', '-o', join(dir, 'images.tar'), ...images.refs], { encoding: 'buffer' });
    assert.equal(saved.status, 0, `docker save failed: ${saved.stderr}`);
    const untar = spawnSync('tar', ['-xf', join(dir, 'images.tar'), '-C', dir]);
    assert.equal(untar.status, 0, `tar -x of the saved images failed: ${untar.stderr}`);
    rmSync(join(dir, 'images.tar'));

    const needles = privateCerts.flatMap((cert) => toNeedles(cert).map((needle) => ({ ...needle, subject: cert.subject })));
    const files = listFiles(dir);
    const leaks = [];
    for (const file of files) {
      for (const needle of await scanFile(file, needles)) leaks.push(`${file.slice(dir.length + 1)}: ${needle.kind} of "${needle.subject}"`);
    }
    t.diagnostic(`searched ${files.length} files (layers, configs, manifests)`);
    assert.deepEqual(leaks, [], `the host CA is inside image files:\n${leaks.join('\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
