import { ApiErrorSchema } from '@posestack/api-contracts';
import Fastify, { type FastifyInstance } from 'fastify';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from './build-server';
import { parseServerEnv } from './env';

describe('buildServer', () => {
  let staticDir: string;
  let backend: FastifyInstance;
  let app: FastifyInstance;

  beforeAll(async () => {
    staticDir = mkdtempSync(join(tmpdir(), 'frontend-static-'));
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(staticDir, 'assets', 'index-abc123.js'), 'console.log(1)');

    // A real upstream on a free port: the proxy is exercised end to end, not mocked.
    backend = Fastify();
    backend.get('/api/analyses', async (request) => ({
      items: [],
      total: 0,
      page: 1,
      pageSize: 20,
      url: request.url,
      authorization: request.headers.authorization ?? null,
      cookie: request.headers.cookie ?? null,
      origin: request.headers.origin ?? null,
    }));
    backend.post('/api/auth/sessions', async (request, reply) => {
      const { password } = request.body as { password: string };
      if (password !== 'right') return reply.code(401).send({ error: { code: 'UNAUTHENTICATED', message: 'unknown user name or wrong password' } });
      return reply.code(201).send({ token: 'pss_secret', expiresAt: '2099-01-01T00:00:00.000Z', principal: { kind: 'session', name: 'ann', role: 'editor' } });
    });
    backend.post('/api/analyses', async (request, reply) => reply.code(201).send({ contentType: request.headers['content-type'] }));
    backend.addContentTypeParser('multipart/form-data', (_request, payload, done) => {
      payload.resume();
      payload.on('end', () => done(null));
    });
    const backendUrl = await backend.listen({ port: 0, host: '127.0.0.1' });

    app = await buildServer({
      env: parseServerEnv({ BACKEND_URL: backendUrl, STATIC_DIR: staticDir }),
      probeBackend: async () => 'unreachable',
      logger: false,
    });
  });

  afterAll(async () => {
    await app.close();
    await backend.close();
    rmSync(staticDir, { recursive: true, force: true });
  });

  it('answers /health with ok even when the backend is unreachable', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', backend: 'unreachable' });
  });

  it('serves index.html uncached and fingerprinted assets as immutable', async () => {
    const index = await app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['cache-control']).toBe('no-cache');
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('falls back to index.html for page URLs only', async () => {
    const page = await app.inject({ method: 'GET', url: '/analyses/123?analysis=1', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="root"');
    const missingAsset = await app.inject({ method: 'GET', url: '/assets/gone.js', headers: { accept: 'text/html' } });
    expect(missingAsset.statusCode).toBe(404);
    expect(ApiErrorSchema.safeParse(missingAsset.json()).success).toBe(true);
  });

  it('answers 502 in the API error shape, without internals, when backend-api is down', async () => {
    const orphan = await buildServer({
      env: parseServerEnv({ BACKEND_URL: 'http://127.0.0.1:9', STATIC_DIR: staticDir }),
      probeBackend: async () => 'unreachable',
      logger: false,
    });
    try {
      const response = await orphan.inject({ method: 'GET', url: '/api/analyses' });
      expect(response.statusCode).toBe(502);
      expect(ApiErrorSchema.parse(response.json()).error.code).toBe('SERVICE_UNAVAILABLE');
      expect(response.body).not.toContain('ECONNREFUSED');
    } finally {
      await orphan.close();
    }
  });

  it('signs in: the session secret goes into an HttpOnly SameSite=Strict cookie, never into the body', async () => {
    const refused = await app.inject({ method: 'POST', url: '/auth/login', payload: { username: 'ann', password: 'wrong' } });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['set-cookie']).toBeUndefined();

    const login = await app.inject({ method: 'POST', url: '/auth/login', payload: { username: 'ann', password: 'right' } });
    expect(login.statusCode).toBe(200);
    expect(login.body).not.toContain('pss_secret');
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/^posestack_session=pss_secret;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/); // plain http here; https requests get Secure

    const list = await app.inject({ method: 'GET', url: '/api/analyses', headers: { cookie: 'posestack_session=pss_secret' } });
    expect(list.json()).toMatchObject({ authorization: 'Bearer pss_secret', cookie: null });
  });

  it('keeps the session secret away from page scripts: no sign-in through the /api proxy', async () => {
    const direct = await app.inject({ method: 'POST', url: '/api/auth/sessions', payload: { username: 'ann', password: 'right' } });
    expect(direct.statusCode).toBe(404);
    expect(direct.body).not.toContain('pss_secret');
  });

  it('refuses cross-origin state changes and foreign hosts, and sends security headers', async () => {
    const crossOrigin = await app.inject({ method: 'POST', url: '/auth/login', headers: { origin: 'http://evil.example' }, payload: { username: 'ann', password: 'right' } });
    expect(crossOrigin.statusCode).toBe(403);
    expect(crossOrigin.headers['set-cookie']).toBeUndefined();
    const sameOrigin = await app.inject({ method: 'POST', url: '/auth/login', headers: { origin: 'http://localhost:80' }, payload: { username: 'ann', password: 'right' } });
    expect(sameOrigin.statusCode).toBe(200);
    const rebound = await app.inject({ method: 'GET', url: '/', headers: { host: 'attacker.example' } });
    expect(rebound.statusCode).toBe(421);
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  });

  it('proxies /api with its query string and streams multipart bodies', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/analyses?page=2' });
    expect(list.json()).toMatchObject({ total: 0, url: '/api/analyses?page=2' });
    const boundary = 'xyz';
    const upload = await app.inject({
      method: 'POST',
      url: '/api/analyses',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nPNG\r\n--${boundary}--\r\n`,
    });
    expect(upload.statusCode).toBe(201);
    expect(upload.json()).toEqual({ contentType: `multipart/form-data; boundary=${boundary}` });
  });
});
