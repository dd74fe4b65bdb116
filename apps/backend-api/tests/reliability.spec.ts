import { ObjectId } from 'mongodb';
import type { FastifyInstance } from 'fastify';
import { AnalysisSchema, ApiErrorSchema, HealthResponseSchema, type Analysis } from '@posestack/api-contracts';
import { poseServiceSkipReason, startFerretDb, startPoseService, type FerretDb, type PoseService } from '@posestack/test-stack';
import type { AnalysisDocument } from '../src/analyses/analysis-document';
import { auth, startApp, startSilentServer, unreachableUrl } from './support/app';
import { fixture, upload, waitFor } from './support/multipart';

const skipReason = poseServiceSkipReason();
const describeWithPose = skipReason ? describe.skip : describe;
if (skipReason) console.warn(`reliability.spec: skipped, ${skipReason}`);

const read = async (app: FastifyInstance, id: string) => AnalysisSchema.parse((await app.inject({ url: `/api/analyses/${id}`, headers: auth(app) })).json());
const until = (app: FastifyInstance, id: string, isDone: (a: Analysis) => boolean) => waitFor(() => read(app, id), isDone);

describeWithPose('reliability: job lifecycle, restarts, outages (FerretDB + pose-service on CPU)', () => {
  let db: FerretDb;
  let pose: PoseService;

  beforeAll(async () => {
    // One model is enough for the API tests and loads three times faster.
    [db, pose] = await Promise.all([startFerretDb({ logLevel: 'error' }), startPoseService({ models: ['multipose'] })]);
  }, 150_000);
  afterAll(async () => {
    await Promise.all([db?.dispose(), pose?.stop()]);
  });

  it('a video job survives a restart in the middle of processing (graceful stop hands it back)', async () => {
    // The first instance's pose-service never answers, so its job is certainly mid-flight when it stops.
    const silent = await startSilentServer();
    const first = await startApp(db.url, silent.url);
    const accepted = AnalysisSchema.parse((await upload(first, fixture('walk.mp4'), 'walk.mp4', 'video/mp4')).json());
    await until(first, accepted.id, (a) => a.status === 'running');
    await first.close(); // what SIGTERM does through close-with-grace
    await silent.close();

    // Handed back at once (pending), not left running until its lease expires.
    const observer = await startApp(db.url, pose, { JOB_WORKER_ENABLED: '0' });
    expect(await read(observer, accepted.id)).toMatchObject({ status: 'pending', attempts: 1 });
    await observer.close();

    // A lease long enough that a slow CI machine cannot lose it mid-video (the 3 s test default did once, giving
    // a third attempt): this test is about the hand-back, the lease tests are below.
    const second = await startApp(db.url, pose, { JOB_LEASE_MS: '15000' });
    try {
      const done = await until(second, accepted.id, (a) => a.status === 'done' || a.status === 'failed');
      expect(done).toMatchObject({ status: 'done', attempts: 2 });
      expect(done.kind === 'video' && done.result?.frames).toHaveLength(12);
    } finally {
      await second.close();
    }
  }, 90_000);

  it('a job whose worker died (lease expired, no hand-back) is swept back and taken over; one that keeps dying is failed', async () => {
    const app = await startApp(db.url, pose, { JOB_WORKER_ENABLED: '0' });
    try {
      const collection = app.mongo.db.collection<AnalysisDocument>('analyses');
      const fileId = await app.analyses.mediaStore.put(fixture('walk.mp4'), 'walk.mp4', 'video/mp4');
      const crashed = (claims: number): AnalysisDocument => ({
        _id: new ObjectId(),
        kind: 'video',
        status: 'running',
        createdAt: new Date(),
        updatedAt: new Date(),
        media: { filename: 'walk.mp4', contentType: 'video/mp4', size: 13000, fileId },
        model: null,
        result: null,
        timings: {},
        attempts: claims,
        claims,
        leaseOwner: 'killed-with-sigkill',
        leaseUntil: new Date(Date.now() - 1000),
      });
      const orphan = crashed(1);
      const poison = crashed(3);
      await collection.insertMany([orphan, poison]);

      // The sweeper and a worker like the ones the app starts, driven by hand so the test decides when they run.
      const { VideoJobWorker } = await import('../src/jobs/video-job-worker');
      const { LeaseSweeper } = await import('../src/jobs/lease-sweeper');
      await new LeaseSweeper(app.analyses.repository, app.log, { sweepMs: 1000, leaseMs: 5000, maxClaims: 3 }).sweep();
      expect(await read(app, orphan._id.toHexString())).toMatchObject({ status: 'pending' });
      const worker = new VideoJobWorker(app.analyses.repository, app.analyses.mediaStore, app.poseService, app.log, {
        instanceId: 'test-worker',
        leaseMs: 5000,
        pollMs: 100,
        retryLimit: 0,
        retryBaseMs: 100,
        retryMaxMs: 100,
      });
      await worker.tick();

      expect(await read(app, orphan._id.toHexString())).toMatchObject({ status: 'done', attempts: 2 });
      expect(await read(app, poison._id.toHexString())).toMatchObject({ status: 'failed', error: { code: 'JOB_ABANDONED' } });
    } finally {
      await app.close();
    }
  }, 60_000);

  it('pose-service down: image and video fail with the reason, /health says 503, retry succeeds once it is back', async () => {
    // No automatic retries here: this test is about the reason a failure carries (backoff: fault-injection.spec).
    const down = await startApp(db.url, unreachableUrl, { JOB_RETRY_LIMIT: '0' });
    let imageId: string;
    let videoId: string;
    try {
      const health = await down.inject({ url: '/health' });
      expect(health.statusCode).toBe(503);
      expect(HealthResponseSchema.parse(health.json())).toEqual({ status: 'unavailable', mongo: 'up', poseService: { status: 'down', device: null } });

      const image = await upload(down, fixture('astronaut.jpg'), 'astronaut.jpg', 'image/jpeg');
      expect(image.statusCode).toBe(201);
      const failedImage = AnalysisSchema.parse(image.json());
      expect(failedImage).toMatchObject({ status: 'failed', error: { code: 'POSE_SERVICE_UNREACHABLE' } });
      expect(failedImage.error?.message).toMatch(/pose-service at .* is unreachable/);
      imageId = failedImage.id;

      const video = AnalysisSchema.parse((await upload(down, fixture('walk.mp4'), 'walk.mp4', 'video/mp4')).json());
      const failedVideo = await until(down, video.id, (a) => a.status === 'failed');
      expect(failedVideo.error?.code).toBe('POSE_SERVICE_UNREACHABLE');
      videoId = video.id;
    } finally {
      await down.close();
    }

    const up = await startApp(db.url, pose);
    try {
      const retriedImage = await up.inject({ method: 'POST', url: `/api/analyses/${imageId}/retry`, headers: auth(up) });
      expect(retriedImage.statusCode).toBe(200);
      expect(AnalysisSchema.parse(retriedImage.json())).toMatchObject({ status: 'done', attempts: 2 });
      expect(AnalysisSchema.parse(retriedImage.json())).not.toHaveProperty('error');

      const retriedVideo = await up.inject({ method: 'POST', url: `/api/analyses/${videoId}/retry`, headers: auth(up) });
      expect(retriedVideo.statusCode).toBe(202);
      expect(AnalysisSchema.parse(retriedVideo.json()).status).toBe('pending');
      expect(await until(up, videoId, (a) => a.status === 'done')).toMatchObject({ status: 'done', attempts: 2 });
    } finally {
      await up.close();
    }
  }, 90_000);

  it('MongoDB down: 503 JSON and no crash; back up: the API serves again and nothing accepted is lost', async () => {
    const app = await startApp(db.url, pose);
    try {
      const stored = AnalysisSchema.parse((await upload(app, fixture('astronaut.jpg'), 'astronaut.jpg', 'image/jpeg')).json());
      await db.stop();

      const list = await app.inject({ url: '/api/analyses', headers: auth(app) });
      expect(list.statusCode).toBe(503);
      expect(ApiErrorSchema.parse(list.json()).error).toEqual({ code: 'SERVICE_UNAVAILABLE', message: 'the database is unavailable; try again shortly' });
      expect((await upload(app, fixture('astronaut.jpg'), 'astronaut.jpg', 'image/jpeg')).statusCode).toBe(503);
      const health = await app.inject({ url: '/health' });
      expect(health.statusCode).toBe(503);
      expect(HealthResponseSchema.parse(health.json())).toMatchObject({ mongo: 'down', poseService: { status: 'up' } });

      await db.restart();
      const back = await waitFor(() => app.inject({ url: `/api/analyses/${stored.id}`, headers: auth(app) }), (r) => r.statusCode === 200, 20_000);
      expect(AnalysisSchema.parse(back.json())).toEqual(stored);
      expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  }, 90_000);

  it('MongoDB down at start-up: the API starts, answers 503, and connects once the database is up', async () => {
    await db.stop();
    const app = await startApp(db.url, pose);
    try {
      const response = await app.inject({ url: '/api/analyses', headers: auth(app) });
      expect(response.statusCode).toBe(503);
      expect(ApiErrorSchema.parse(response.json()).error.code).toBe('SERVICE_UNAVAILABLE');

      await db.restart();
      const back = await waitFor(() => app.inject({ url: '/api/analyses', headers: auth(app) }), (r) => r.statusCode === 200, 20_000);
      expect(back.json().total).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  }, 60_000);
});
