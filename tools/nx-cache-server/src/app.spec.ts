import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from './app';
import { CacheStore } from './store/cache-store';

const RW = 'rw-token-for-tests-0001';
const RO = 'ro-token-for-tests-0001';

let dir: string;
let app: FastifyInstance;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nx-cache-app-'));
  app = await buildApp({ store: await CacheStore.open(dir), tokens: { readWrite: [RW], read: [RO] }, maxEntryBytes: 64, logLevel: 'silent' });
});
afterEach(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const put = (hash: string, body: string, token = RW) =>
  app.inject({
    method: 'PUT',
    url: `/v1/cache/${hash}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    payload: Buffer.from(body),
  });
const get = (hash: string, token = RO) => app.inject({ method: 'GET', url: `/v1/cache/${hash}`, headers: { authorization: `Bearer ${token}` } });

describe('the Nx remote cache protocol', () => {
  it('stores with a read-write token and serves the same bytes to a read-only one', async () => {
    expect((await put('1001', 'tar bytes')).statusCode).toBe(200);
    const hit = await get('1001');
    expect(hit.statusCode).toBe(200);
    expect(hit.headers['content-type']).toBe('application/octet-stream');
    expect(hit.headers['content-length']).toBe('9');
    expect(hit.body).toBe('tar bytes');
  });

  it('answers 404 for an unknown hash', async () => {
    const miss = await get('2002');
    expect(miss.statusCode).toBe(404);
    expect(miss.body).toContain('2002');
  });

  it('answers 409 and keeps the first content when a hash is uploaded again', async () => {
    await put('3003', 'first');
    const again = await put('3003', 'other');
    expect(again.statusCode).toBe(409);
    expect(again.body).toMatch(/never overwritten/);
    expect((await get('3003')).body).toBe('first');
  });

  it('answers 401 without a token or with an unknown one, in text/plain for the Nx user', async () => {
    const none = await app.inject({ method: 'GET', url: '/v1/cache/4004' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toBe('text/plain');
    expect(none.body).toMatch(/NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN/);
    expect((await get('4004', 'not-a-known-token-000')).statusCode).toBe(401);
    expect((await put('4004', 'x', 'not-a-known-token-000')).statusCode).toBe(401);
  });

  it('answers 403 when a read-only token uploads, and stores nothing', async () => {
    const refused = await put('5005', 'x', RO);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toMatch(/read-only/);
    expect((await get('5005')).statusCode).toBe(404);
  });

  it('refuses an entry over the size limit with 413, naming the setting', async () => {
    const tooBig = await put('6006', 'x'.repeat(65));
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.body).toMatch(/NX_CACHE_SERVER_MAX_ENTRY_BYTES/);
    expect((await get('6006')).statusCode).toBe(404);
  });

  it('refuses a hash that is not path-safe with 400', async () => {
    const bad = await get('..%2F..%2Fetc');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/not a cache hash/);
  });

  it('answers /health without a token', async () => {
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});
