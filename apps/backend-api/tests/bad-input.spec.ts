import type { FastifyInstance } from 'fastify';
import { ApiErrorSchema } from '@posestack/api-contracts';
import { startFerretDb, type FerretDb } from '@posestack/test-stack';
import { auth, startApp, unreachableUrl } from './support/app';
import { fixture, multipartBody, upload } from './support/multipart';

// Every rejection here happens before pose-service is called, so it is left unreachable on purpose.
describe('bad input -> 4xx JSON naming the problem (FerretDB)', () => {
  let db: FerretDb;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await startFerretDb({ logLevel: 'error' });
    app = await startApp(db.url, unreachableUrl, { MAX_IMAGE_BYTES: '1024', JOB_WORKER_ENABLED: '0' });
  });
  afterAll(async () => {
    await app?.close();
    await db?.dispose();
  });

  const expectError = (response: { statusCode: number; json: () => unknown }, status: number, code: string, mentions: RegExp) => {
    expect(response.statusCode).toBe(status);
    const body = ApiErrorSchema.parse(response.json());
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(mentions);
  };

  it('415 for a JSON body instead of multipart', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/analyses', payload: { file: 'x' }, headers: auth(app) });
    expectError(response, 415, 'UNSUPPORTED_MEDIA_TYPE', /multipart\/form-data/);
  });

  it('415 for a body type Fastify has no parser for', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/analyses', payload: 'abc', headers: { ...auth(app), 'content-type': 'application/pdf' } });
    expect(response.statusCode).toBe(415);
    expect(ApiErrorSchema.parse(response.json()).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('415 for a text file sent as image/jpeg (decided by content, not the declared type)', async () => {
    const response = await upload(app, Buffer.from('definitely not a picture'), 'notes.jpg', 'image/jpeg');
    expectError(response, 415, 'UNSUPPORTED_MEDIA_TYPE', /notes\.jpg.*not a supported image or video/);
  });

  it('400 for multipart without a boundary (found by schemathesis: it was a 500)', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/analyses', payload: 'x', headers: { ...auth(app), 'content-type': 'multipart/form-data' } });
    expectError(response, 400, 'BAD_REQUEST', /multipart body is malformed/);
  });

  it('400 EMPTY_UPLOAD for a zero-byte file', async () => {
    expectError(await upload(app, Buffer.alloc(0), 'empty.png', 'image/png'), 400, 'EMPTY_UPLOAD', /empty\.png.*empty/);
  });

  it('413 for an image over MAX_IMAGE_BYTES (1 KiB here)', async () => {
    expectError(await upload(app, fixture('astronaut.jpg'), 'astronaut.jpg', 'image/jpeg'), 413, 'PAYLOAD_TOO_LARGE', /images are limited to/);
  });

  it('413 for an upload over the multipart limit', async () => {
    const huge = Buffer.alloc(26 * 1024 * 1024, 1);
    expectError(await upload(app, huge, 'huge.mp4', 'video/mp4'), 413, 'PAYLOAD_TOO_LARGE', /exceeds 25 MiB/);
  });

  it.each([
    ['no boundary', 'multipart/form-data'],
    ['a boundary that never comes', 'multipart/form-data; boundary=elsewhere'],
  ])('400 BAD_REQUEST for malformed multipart (%s)', async (_case, contentType) => {
    const { payload } = multipartBody(fixture('astronaut.jpg'), 'a.jpg', 'image/jpeg');
    const response = await app.inject({ method: 'POST', url: '/api/analyses', payload, headers: { ...auth(app), 'content-type': contentType } });
    expectError(response, 400, 'BAD_REQUEST', /multipart|file/);
  });

  it('400 naming the field of a second file (one rule with pose-service: never pick one silently)', async () => {
    const boundary = 'two-files';
    const part = (field: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${field}.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n`;
    const payload = Buffer.from(`${part('file')}${part('spare')}--${boundary}--\r\n`);
    const response = await app.inject({ method: 'POST', url: '/api/analyses', payload, headers: { ...auth(app), 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expectError(response, 400, 'BAD_REQUEST', /exactly one file.*"spare"/);
  });

  it('413 from the declared Content-Length, before the body is read', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/analyses',
      payload: 'x',
      headers: { ...auth(app), 'content-type': 'multipart/form-data; boundary=b', 'content-length': String(200 * 1024 * 1024) },
    });
    expectError(response, 413, 'PAYLOAD_TOO_LARGE', /Content-Length/);
  });

  it('400 when the file is in another field', async () => {
    expectError(await upload(app, fixture('astronaut.jpg'), 'a.jpg', 'image/jpeg', 'image'), 400, 'BAD_REQUEST', /"file" field/);
  });

  it.each([
    ['GET', '/api/analyses/not-an-id'],
    ['DELETE', '/api/analyses/123'],
    ['GET', '/api/analyses/zzzzzzzzzzzzzzzzzzzzzzzz/media'],
    ['POST', '/api/analyses/xyz/retry'],
  ] as const)('400 INVALID_ID for %s %s', async (method, url) => {
    expectError(await app.inject({ method, url, headers: auth(app) }), 400, 'INVALID_ID', /id/);
  });

  it.each([
    ['GET', '/api/analyses/65f0c0ffee0000000000abcd'],
    ['DELETE', '/api/analyses/65f0c0ffee0000000000abcd'],
    ['GET', '/api/analyses/65f0c0ffee0000000000abcd/media'],
    ['POST', '/api/analyses/65f0c0ffee0000000000abcd/retry'],
  ] as const)('404 NOT_FOUND for %s %s', async (method, url) => {
    expectError(await app.inject({ method, url, headers: auth(app) }), 404, 'NOT_FOUND', /65f0c0ffee0000000000abcd does not exist/);
  });

  it('400 VALIDATION_FAILED for a page size over the maximum', async () => {
    expectError(await app.inject({ method: 'GET', url: '/api/analyses?pageSize=1000', headers: auth(app) }), 400, 'VALIDATION_FAILED', /pageSize/);
  });

  it('404 JSON for an unknown route', async () => {
    expectError(await app.inject({ method: 'GET', url: '/api/nope', headers: auth(app) }), 404, 'NOT_FOUND', /GET \/api\/nope/);
  });
});
