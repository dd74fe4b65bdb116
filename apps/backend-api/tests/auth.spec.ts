import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { ApiErrorSchema, MeResponseSchema, SessionCreatedSchema } from '@posestack/api-contracts';
import { startFerretDb, type FerretDb } from '@posestack/test-stack';
import { parseCommand } from '../src/cli/parse-command';
import { OPENAPI_PATH } from '../src/openapi/render-openapi';
import { runCommand } from '../src/cli/run-command';
import { auth, createToken, startApp, unreachableUrl } from './support/app';
import { fixture, multipartBody } from './support/multipart';

const ID = '65f0c0ffee0000000000abcd';
/** Every documented operation that is not public, with a valid-looking id, and a path that does not exist. */
const openapi = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
const ROUTES = [
  ...Object.entries(openapi.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([, operation]) => operation.security?.length !== 0)
      .map(([method]) => [method.toUpperCase() as 'GET', path.replace('{id}', ID)] as const),
  ),
  ['GET', '/api/no-such-route'] as const,
];
const PASSWORD = 'correct horse battery staple';

// The real app on FerretDB; pose-service is unreachable on purpose (an upload is stored as failed, with its media).
describe('authentication, authorisation and the edge (FerretDB)', () => {
  let db: FerretDb;
  let app: FastifyInstance;
  const logs = new PassThrough();
  let logText = '';
  logs.on('data', (chunk: Buffer) => (logText += chunk.toString()));

  beforeAll(async () => {
    db = await startFerretDb({ logLevel: 'error' });
    app = await startApp(db.url, unreachableUrl, { LOG_LEVEL: 'debug', JOB_WORKER_ENABLED: '0', RATE_LIMIT_LOGINS_PER_MINUTE: '5' }, logs);
    await cli(`users create --username ann --role editor`, PASSWORD);
    await cli(`users create --username vic --role viewer`, PASSWORD);
  });
  afterAll(async () => {
    await app?.close();
    await db?.dispose();
  });

  async function cli(line: string, password = ''): Promise<string[]> {
    const out: string[] = [];
    await runCommand(parseCommand(line.split(' ')), app.credentials, { out: (l) => out.push(l), err: () => undefined, readPassword: async () => password });
    return out;
  }
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const login = (username: string, password: string) => app.inject({ method: 'POST', url: '/api/auth/sessions', payload: { username, password } });

  it.each(ROUTES)('401 without credentials: %s %s', async (method, url) => {
    const response = await app.inject({ method, url });
    expect(response.statusCode).toBe(401);
    expect(ApiErrorSchema.parse(response.json()).error.code).toBe('UNAUTHENTICATED');
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it.each(['Bearer pst_not-a-real-token-at-all', 'Basic YW5uOnBhc3N3b3Jk', 'Bearer'])('401 for a bad credential: %s', async (authorization) => {
    expect((await app.inject({ url: '/api/analyses', headers: { authorization } })).statusCode).toBe(401);
  });

  it('/health is the one public route', async () => {
    expect((await app.inject({ url: '/health' })).statusCode).toBe(503);
  });

  it('a viewer reads but cannot upload, retry or delete (403)', async () => {
    const viewer = bearer(await createToken(app, 'viewer'));
    expect((await app.inject({ url: '/api/analyses', headers: viewer })).statusCode).toBe(200);
    const body = multipartBody(fixture('astronaut.jpg'), 'a.jpg', 'image/jpeg');
    const writes = [
      await app.inject({ method: 'POST', url: '/api/analyses', payload: body.payload, headers: { ...body.headers, ...viewer } }),
      await app.inject({ method: 'DELETE', url: `/api/analyses/${ID}`, headers: viewer }),
      await app.inject({ method: 'POST', url: `/api/analyses/${ID}/retry`, headers: viewer }),
    ];
    for (const response of writes) {
      expect(response.statusCode).toBe(403);
      expect(ApiErrorSchema.parse(response.json()).error.message).toMatch(/needs the editor role/);
    }
  });

  it('a revoked token stops working at once (CLI create, list, revoke)', async () => {
    const [token] = await cli('tokens create --name ci --role editor');
    expect(token).toMatch(/^pst_[A-Za-z0-9_-]{43}$/);
    expect((await app.inject({ url: '/api/analyses', headers: bearer(token) })).statusCode).toBe(200);
    const listed = (await cli('tokens list')).find((line) => line.includes('\tci\t'));
    expect(listed).toBeDefined();
    expect(listed).not.toContain(token);
    await cli('tokens revoke ci');
    expect((await app.inject({ url: '/api/analyses', headers: bearer(token) })).statusCode).toBe(401);
    // Only the hash is stored.
    expect(JSON.stringify(await app.mongo.db.collection('credentials').find().toArray())).not.toContain(token);
  });

  it('people sign in with a password; the session reads, signs out, and is dead afterwards', async () => {
    const wrong = await login('ann', 'not the password');
    const unknown = await login('nobody', PASSWORD);
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.json()).toEqual(unknown.json());

    const created = SessionCreatedSchema.parse((await login('vic', PASSWORD)).json());
    expect(created.principal).toEqual({ kind: 'session', name: 'vic', role: 'viewer' });
    const session = bearer(created.token);
    expect(MeResponseSchema.parse((await app.inject({ url: '/api/auth/me', headers: session })).json()).principal.name).toBe('vic');
    expect((await app.inject({ method: 'DELETE', url: `/api/analyses/${ID}`, headers: session })).statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: '/api/auth/sessions/current', headers: session })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/auth/me', headers: session })).statusCode).toBe(401);
  });

  it('a role change ends the sessions of that user', async () => {
    const created = SessionCreatedSchema.parse((await login('ann', PASSWORD)).json());
    await cli('users set-role ann --role viewer');
    expect((await app.inject({ url: '/api/auth/me', headers: bearer(created.token) })).statusCode).toBe(401);
    await cli('users set-role ann --role editor');
  });

  it('refuses a cross-origin state change and a foreign Host, even with an editor token', async () => {
    const crossOrigin = await app.inject({ method: 'DELETE', url: `/api/analyses/${ID}`, headers: { ...auth(app), origin: 'http://evil.example' } });
    expect(crossOrigin.statusCode).toBe(403);
    expect(ApiErrorSchema.parse(crossOrigin.json()).error.message).toMatch(/evil\.example/);
    const crossSite = await app.inject({ method: 'POST', url: `/api/analyses/${ID}/retry`, headers: { ...auth(app), 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.statusCode).toBe(403);
    const rebound = await app.inject({ url: '/api/analyses', headers: { ...auth(app), host: 'attacker.example:3001' } });
    expect(rebound.statusCode).toBe(421);
    expect(ApiErrorSchema.parse(rebound.json()).error.code).toBe('MISDIRECTED_REQUEST');
  });

  it('serves uploads with nosniff and a sandboxing CSP', async () => {
    const body = multipartBody(fixture('astronaut.jpg'), 'x.html', 'text/html');
    const stored = await app.inject({ method: 'POST', url: '/api/analyses', payload: body.payload, headers: { ...body.headers, ...auth(app) } });
    expect(stored.statusCode).toBe(201);
    const media = await app.inject({ url: stored.json().media.mediaUrl, headers: auth(app) });
    expect(media.headers['content-type']).toBe('image/jpeg');
    expect(media.headers['x-content-type-options']).toBe('nosniff');
    expect(media.headers['content-security-policy']).toMatch(/default-src 'none'.*sandbox/);
  });

  it('rate-limits sign-ins (429 with Retry-After)', async () => {
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await login('ann', 'guessing'));
    const limited = answers.at(-1);
    expect(limited?.statusCode).toBe(429);
    expect(ApiErrorSchema.parse(limited?.json()).error.code).toBe('TOO_MANY_REQUESTS');
    expect(limited?.headers['retry-after']).toBeDefined();
  });

  it('no secret reaches a log line', async () => {
    const [token] = await cli('tokens create --name log-check --role viewer');
    await app.inject({ url: '/api/analyses', headers: bearer(token) });
    expect(logText.length).toBeGreaterThan(0);
    expect(logText).not.toContain(token);
    expect(logText).not.toContain(PASSWORD);
  });
});
