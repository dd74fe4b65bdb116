import type { FastifyInstance } from 'fastify';
import {
  AnalysisPageSchema,
  AnalysisSchema,
  ApiErrorSchema,
  BLAZEPOSE_KEYPOINT_NAMES,
  COCO_KEYPOINT_NAMES,
  PoseModelListSchema,
  type PoseModel,
} from '@posestack/api-contracts';
import { poseServiceSkipReason, startFerretDb, startPoseService, type FerretDb, type PoseService } from '@posestack/test-stack';
import { auth, startApp, unreachableUrl } from './support/app';
import { fixture, uploadForm } from './support/multipart';

const skipReason = poseServiceSkipReason();
const describeWithPose = skipReason ? describe.skip : describe;
if (skipReason) console.warn(`models-api.spec: skipped, ${skipReason}`);

const astronaut = () => ({ data: fixture('astronaut.jpg'), filename: 'astronaut.jpg', contentType: 'image/jpeg' });

// The real pose-service with every model it can load: /v1/models where it has one, /health's names otherwise.
describeWithPose('models API and the upload model field (FerretDB + pose-service on CPU)', () => {
  let db: FerretDb;
  let pose: PoseService;
  let app: FastifyInstance;
  let models: PoseModel[];

  beforeAll(async () => {
    [db, pose] = await Promise.all([startFerretDb({ logLevel: 'error' }), startPoseService({ readyTimeoutMs: 240_000 })]);
    app = await startApp(db.url, pose, { JOB_WORKER_ENABLED: '0' });
  }, 300_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([db?.dispose(), pose?.stop()]);
  });

  it('GET /api/models lists the loaded models with their kind and keypoints', async () => {
    const response = await app.inject({ url: '/api/models', headers: auth(app) });
    expect(response.statusCode).toBe(200);
    models = PoseModelListSchema.parse(response.json()).models;
    console.log(`models-api.spec: pose-service has loaded ${models.map((m) => `${m.name} (${m.kind})`).join(', ')}`);
    const health = (await (await fetch(`${pose.url}/health`, { headers: { authorization: `Bearer ${pose.token}` } })).json()) as { models: string[] };
    expect(models.map((m) => m.name).sort()).toEqual([...health.models].sort());
    const multipose = models.find((m) => m.name === 'multipose');
    expect(multipose).toEqual({ name: 'multipose', kind: '2d', keypoints: [...COCO_KEYPOINT_NAMES] });
  });

  it('POST /api/analyses with a model that is not loaded: 400 naming the field and the choices, nothing stored', async () => {
    const response = await uploadForm(app, { model: 'movenet-imaginary' }, astronaut());
    expect(response.statusCode).toBe(400);
    const { error } = ApiErrorSchema.parse(response.json());
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('"model" field names "movenet-imaginary"');
    expect(error.message).toContain('multipose');
    expect(AnalysisPageSchema.parse((await app.inject({ url: '/api/analyses', headers: auth(app) })).json()).total).toBe(0);
  });

  it('POST /api/analyses with model=lightning: analysed by that model', async () => {
    const response = await uploadForm(app, { model: 'lightning' }, astronaut());
    expect(response.statusCode).toBe(201);
    const analysis = AnalysisSchema.parse(response.json());
    expect(analysis).toMatchObject({ status: 'done', model: 'lightning' });
    const person = analysis.kind === 'image' ? analysis.result?.people[0] : undefined;
    expect(person?.keypoints).toHaveLength(17);
    expect(person).not.toHaveProperty('keypoints3d');
  });

  it('POST /api/analyses with model=blazepose-lite: 33 landmarks and their 3D keypoints stored and served', async () => {
    if (!models.some((m) => m.name === 'blazepose-lite')) {
      console.log('models-api.spec: SKIP the blazepose-lite upload: pose-service does not list blazepose-lite among its models yet');
      return;
    }
    const response = await uploadForm(app, { model: 'blazepose-lite' }, astronaut());
    expect(response.statusCode).toBe(201);
    const created = AnalysisSchema.parse(response.json());
    const served = AnalysisSchema.parse((await app.inject({ url: `/api/analyses/${created.id}`, headers: auth(app) })).json());
    expect(served).toEqual(created);
    const person = served.kind === 'image' ? served.result?.people[0] : undefined;
    expect(person?.keypoints.map((k) => k.name)).toEqual([...BLAZEPOSE_KEYPOINT_NAMES]);
    expect(person?.keypoints3d?.map((k) => k.name)).toEqual([...BLAZEPOSE_KEYPOINT_NAMES]);
    // World landmarks are metres around the hips: a standing adult fits in a 2 m box.
    for (const k of person?.keypoints3d ?? []) expect(Math.max(Math.abs(k.x), Math.abs(k.y), Math.abs(k.z))).toBeLessThan(2);
  });
});

describe('models API without pose-service', () => {
  let db: FerretDb;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await startFerretDb({ logLevel: 'error' });
    app = await startApp(db.url, unreachableUrl, { JOB_WORKER_ENABLED: '0' });
  });
  afterAll(async () => {
    await app?.close();
    await db?.dispose();
  });

  it('GET /api/models: 503 that says pose-service cannot list its models', async () => {
    const response = await app.inject({ url: '/api/models', headers: auth(app) });
    expect(response.statusCode).toBe(503);
    expect(ApiErrorSchema.parse(response.json()).error).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      message: 'pose-service cannot list its models now; try again shortly',
    });
  });

  it('an upload naming a model is still accepted and kept while pose-service is down (failed, retryable)', async () => {
    const response = await uploadForm(app, { model: 'multipose' }, astronaut());
    expect(response.statusCode).toBe(201);
    expect(AnalysisSchema.parse(response.json())).toMatchObject({ status: 'failed', error: { code: 'POSE_SERVICE_UNREACHABLE' } });
  });
});
