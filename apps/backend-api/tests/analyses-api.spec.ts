import type { FastifyInstance } from 'fastify';
import { AnalysisPageSchema, AnalysisSchema, ApiErrorSchema, HealthResponseSchema, type Analysis } from '@posestack/api-contracts';
import { poseServiceSkipReason, startFerretDb, startPoseService, type FerretDb, type PoseService } from '@posestack/test-stack';
import { auth, startApp } from './support/app';
import { fixture, upload, waitFor } from './support/multipart';

const skipReason = poseServiceSkipReason();
const describeWithPose = skipReason ? describe.skip : describe;
if (skipReason) console.warn(`analyses-api.spec: skipped, ${skipReason}`);

// Every endpoint against the real FerretDB and the real pose-service on CPU.
describeWithPose('analyses API (FerretDB + pose-service on CPU)', () => {
  let db: FerretDb;
  let pose: PoseService;
  let app: FastifyInstance;

  beforeAll(async () => {
    // One model is enough for the API tests and loads three times faster.
    [db, pose] = await Promise.all([startFerretDb({ logLevel: 'error' }), startPoseService({ models: ['multipose'] })]);
    app = await startApp(db.url, pose);
  }, 150_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([db?.dispose(), pose?.stop()]);
  });

  const getAnalysis = async (id: string) => AnalysisSchema.parse((await app.inject({ url: `/api/analyses/${id}`, headers: auth(app) })).json());

  it('GET /health: 200 with both dependencies up and the device', async () => {
    const response = await app.inject({ url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(HealthResponseSchema.parse(response.json())).toEqual({ status: 'ok', mongo: 'up', poseService: { status: 'up', device: 'cpu' } });
  });

  let image: Analysis;
  it('POST /api/analyses (image): 201, analysed synchronously, keypoints in original pixels', async () => {
    const response = await upload(app, fixture('astronaut.jpg'), 'astronaut.jpg', 'application/octet-stream');
    expect(response.statusCode).toBe(201);
    image = AnalysisSchema.parse(response.json());
    expect(response.headers.location).toBe(`/api/analyses/${image.id}`);
    expect(image).toMatchObject({
      kind: 'image',
      status: 'done',
      model: 'multipose',
      attempts: 1,
      media: { filename: 'astronaut.jpg', contentType: 'image/jpeg', width: 256, height: 256, mediaUrl: `/api/analyses/${image.id}/media` },
    });
    const people = image.kind === 'image' ? image.result?.people ?? [] : [];
    expect(people.length).toBeGreaterThanOrEqual(1);
    const nose = people[0].keypoints[0];
    expect(nose.name).toBe('nose');
    // The astronaut's face is in the upper middle of the 256x256 image.
    expect(nose.x).toBeGreaterThan(64);
    expect(nose.x).toBeLessThan(192);
    expect(nose.y).toBeLessThan(128);
    expect(image.timings.poseServiceMs).toBeGreaterThan(0);
  });

  it('POST /api/analyses: 422 UNPROCESSABLE_MEDIA for a JPEG header over garbage, nothing stored', async () => {
    const before = AnalysisPageSchema.parse((await app.inject({ url: '/api/analyses', headers: auth(app) })).json()).total;
    const corrupt = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
    const response = await upload(app, corrupt, 'broken.jpg', 'image/jpeg');
    expect(response.statusCode).toBe(422);
    expect(ApiErrorSchema.parse(response.json()).error.code).toBe('UNPROCESSABLE_MEDIA');
    expect(AnalysisPageSchema.parse((await app.inject({ url: '/api/analyses', headers: auth(app) })).json()).total).toBe(before);
  });

  it('GET /api/analyses/:id returns the stored analysis', async () => {
    expect(await getAnalysis(image.id)).toEqual(image);
  });

  it('GET /api/analyses/:id/media streams the original, and byte ranges', async () => {
    const original = fixture('astronaut.jpg');
    const full = await app.inject({ url: image.media.mediaUrl, headers: auth(app) });
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('image/jpeg');
    expect(full.rawPayload.equals(original)).toBe(true);

    const part = await app.inject({ url: image.media.mediaUrl, headers: { ...auth(app), range: 'bytes=10-19' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-19/${original.length}`);
    expect(part.rawPayload.equals(original.subarray(10, 20))).toBe(true);

    const outside = await app.inject({ url: image.media.mediaUrl, headers: { ...auth(app), range: `bytes=${original.length}-` } });
    expect(outside.statusCode).toBe(416);
  });

  let video: Analysis;
  it('POST /api/analyses (video): 202 pending, then done in the background with tracked people', async () => {
    const response = await upload(app, fixture('walk.mp4'), 'walk.mp4', 'video/mp4');
    expect(response.statusCode).toBe(202);
    const accepted = AnalysisSchema.parse(response.json());
    expect(accepted).toMatchObject({ kind: 'video', status: 'pending', result: null, attempts: 0 });

    video = await waitFor(() => getAnalysis(accepted.id), (a) => a.status === 'done' || a.status === 'failed');
    expect(video).toMatchObject({ status: 'done', attempts: 1, media: { fps: 8, frameCount: 12, durationS: 1.5, width: 256, height: 192 } });
    const frames = video.kind === 'video' ? video.result?.frames ?? [] : [];
    expect(frames).toHaveLength(12);
    expect(frames[11].timeS).toBeCloseTo(11 / 8);
    const trackIds = new Set(frames.flatMap((f) => f.people.map((p) => p.trackId)));
    expect(trackIds.size).toBeGreaterThanOrEqual(1);
    expect(video.timings.queuedMs).toBeGreaterThanOrEqual(0);
  }, 90_000);

  it('a video pose-service cannot decode fails with its reason (the job does not hang)', async () => {
    const corrupt = Buffer.concat([Buffer.from('\0\0\0\x18ftypisom\0\0\x02\0', 'latin1'), Buffer.alloc(4000, 3)]);
    const response = await upload(app, corrupt, 'broken.mp4', 'video/mp4');
    expect(response.statusCode).toBe(202);
    const { id } = AnalysisSchema.parse(response.json());
    const failed = await waitFor(() => getAnalysis(id), (a) => a.status === 'failed' || a.status === 'done');
    expect(failed.status).toBe('failed');
    expect(failed.error?.message).toMatch(/pose-service rejected the media/);
    expect((await app.inject({ method: 'DELETE', url: `/api/analyses/${id}`, headers: auth(app) })).statusCode).toBe(204);
  }, 60_000);

  it('GET /api/analyses: newest first, paginated, filterable', async () => {
    const first = AnalysisPageSchema.parse((await app.inject({ url: '/api/analyses?pageSize=1', headers: auth(app) })).json());
    expect(first).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    expect(first.items.map((a) => a.id)).toEqual([video.id]);
    const second = AnalysisPageSchema.parse((await app.inject({ url: '/api/analyses?pageSize=1&page=2', headers: auth(app) })).json());
    expect(second.items.map((a) => a.id)).toEqual([image.id]);
    const images = AnalysisPageSchema.parse((await app.inject({ url: '/api/analyses?kind=image', headers: auth(app) })).json());
    expect(images.items.map((a) => a.id)).toEqual([image.id]);
  });

  it('POST /api/analyses/:id/retry: 409 for an analysis that is not failed', async () => {
    const response = await app.inject({ method: 'POST', url: `/api/analyses/${image.id}/retry`, headers: auth(app) });
    expect(response.statusCode).toBe(409);
    expect(ApiErrorSchema.parse(response.json()).error.message).toMatch(/is done; only failed analyses can be retried/);
  });

  it('DELETE /api/analyses/:id: 204, then the analysis and its media are gone', async () => {
    const response = await app.inject({ method: 'DELETE', url: `/api/analyses/${image.id}`, headers: auth(app) });
    expect(response.statusCode).toBe(204);
    expect((await app.inject({ url: `/api/analyses/${image.id}`, headers: auth(app) })).statusCode).toBe(404);
    expect((await app.inject({ url: image.media.mediaUrl, headers: auth(app) })).statusCode).toBe(404);
    expect(await app.mongo.db.collection('media.files').countDocuments({ filename: 'astronaut.jpg' })).toBe(0);
  });
});
