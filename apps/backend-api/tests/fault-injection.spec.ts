import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, ObjectId, type Collection } from 'mongodb';
import { AnalysisSchema, ApiErrorSchema } from '@posestack/api-contracts';
import {
  ferretDbSkipReason,
  poseServiceSkipReason,
  startBackendApi,
  startFerretDb,
  startPoseService,
  type BackendApi,
  type FerretDb,
  type PoseService,
} from '@posestack/test-stack';
import type { AnalysisDocument } from '../src/analyses/analysis-document';
import { CredentialsRepository } from '../src/auth/credentials-repository';
import { fixture, waitFor } from './support/multipart';

/*
 * Fault injection against real processes on loopback: backend-api (its own process, from source), pose-service
 * (CPU, one model) and FerretDB, each killed or stopped for real. Leases are short here (3 s, swept every
 * 250 ms), so "none stays running past its deadline" is checked in seconds. MongoDB itself is not installable on
 * this machine (no Debian package), so the database faults run on FerretDB only.
 */
const skipReason = poseServiceSkipReason() ?? ferretDbSkipReason();
const describeWithStack = skipReason ? describe.skip : describe;
if (skipReason) console.warn(`fault-injection.spec: skipped, ${skipReason}`);

const LEASE_MS = 3000;
const SWEEP_MS = 250;
/** The longest an analysis may stay running once its holder is gone: lease, one sweep, slack for a busy CI host. */
const DEADLINE_MS = LEASE_MS + SWEEP_MS + 2500;

const backendEnv = {
  JOB_LEASE_MS: String(LEASE_MS),
  LEASE_SWEEP_MS: String(SWEEP_MS),
  JOB_POLL_MS: '100',
  // pose-service takes seconds to come back on a shared CPU: enough short retries to outlast that.
  JOB_RETRY_LIMIT: '60',
  JOB_RETRY_BASE_MS: '200',
  // The load tests send uploads as fast as the answers come (503s during an outage come at once): the per-minute
  // upload limit is not what they test, and a 429 from it failed one CI run while FerretDB took long to return.
  RATE_LIMIT_UPLOADS_PER_MINUTE: '100000',
  JOB_RETRY_MAX_MS: '1000',
  MONGO_SERVER_SELECTION_TIMEOUT_MS: '1000',
  MONGO_CONNECT_RETRY_MS: '200',
  POSE_HEALTH_TIMEOUT_MS: '1000',
};

type Outcome = { status: number; body: unknown; retryAfter: string | null } | { lost: string };

/** One HTTP exchange, never throwing: a cut connection is an outcome too (the process it went to was killed). */
async function send(url: string, init: RequestInit = {}): Promise<Outcome> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text, and the assertions below say so
    }
    return { status: response.status, body, retryAfter: response.headers.get('retry-after') };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { lost: cause ?? (error as Error).message };
  }
}

/** The request with a bearer token: backend-api's editor token, or pose-service's service token. */
const withToken = (token: string, init: RequestInit = {}): RequestInit => ({ ...init, headers: { authorization: `Bearer ${token}` } });

function uploadTo(api: BackendApi, token: string, name: string, contentType: string): Promise<Outcome> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(fixture(name))], { type: contentType }), name);
  return send(`${api.url}/api/analyses`, withToken(token, { method: 'POST', body: form }));
}

/** Every answer a live process gave is a success or a 503 that says so (code and Retry-After), never a 5xx leak. */
function expectAnsweredOrClear503(outcomes: Outcome[]): void {
  for (const outcome of outcomes) {
    if ('lost' in outcome) throw new Error(`a request to a live process got no answer (${outcome.lost})`);
    if (outcome.status === 503) {
      expect(ApiErrorSchema.parse(outcome.body).error.code).toBe('SERVICE_UNAVAILABLE');
      expect(outcome.retryAfter).toMatch(/^\d+$/);
    } else {
      expect([200, 201, 202]).toContain(outcome.status);
    }
  }
}

interface InferenceStats {
  active: number;
  queued: number;
  cancelled: number;
}

async function inferenceOf(pose: PoseService): Promise<InferenceStats | undefined> {
  const health = await send(`${pose.url}/health`, withToken(pose.token));
  return 'lost' in health ? undefined : (health.body as { inference: InferenceStats }).inference;
}

/** Samples pose-service's inference counters, to show that a job never runs twice at the same time. */
function watchInference(pose: () => PoseService): { maxActive: () => number; stop: () => void } {
  let maxActive = 0;
  const timer = setInterval(() => {
    void inferenceOf(pose()).then((stats) => (maxActive = Math.max(maxActive, stats?.active ?? 0)));
  }, 50);
  return { maxActive: () => maxActive, stop: () => clearInterval(timer) };
}

describeWithStack('fault injection: real processes killed and restarted (backend-api, pose-service, FerretDB)', () => {
  let logDir: string;
  let db: FerretDb;
  let pose: PoseService;
  let api: BackendApi;
  let mongo: MongoClient;
  let analyses: Collection<AnalysisDocument>;
  let editorToken: string;

  const startApi = () =>
    startBackendApi({ mongoUrl: db.url, poseServiceUrl: pose.url, poseServiceToken: pose.token, env: backendEnv, logFile: join(logDir, 'backend-api.log') });
  // One slot, so concurrent images queue inside pose-service and a kill finds some of them mid-flight.
  // A restart comes back on the same port with the same token, where backend-api expects it.
  const startPose = (again?: PoseService) =>
    startPoseService({
      models: ['multipose'],
      port: again?.port,
      token: again?.token,
      env: { ...process.env, POSE_MAX_CONCURRENT_INFERENCE: '1' },
      logFile: join(logDir, 'pose-service.log'),
    });
  const stored = (id: string) => analyses.findOne({ _id: new ObjectId(id) });
  const countRunning = () => analyses.countDocuments({ status: 'running' });
  const idOf = (outcome: Outcome) => ('lost' in outcome ? undefined : AnalysisSchema.safeParse(outcome.body).data?.id);

  /** Waits until nothing is running; fails if that takes longer than the deadline. */
  const expectNoneRunningWithin = (ms: number) => waitFor(countRunning, (running) => running === 0, ms);

  beforeAll(async () => {
    logDir = mkdtempSync(join(tmpdir(), 'fault-injection-'));
    [db, pose] = await Promise.all([startFerretDb({ logLevel: 'warn', logFile: join(logDir, 'ferretdb.log') }), startPose()]);
    mongo = new MongoClient(db.url, { serverSelectionTimeoutMS: 5000 });
    analyses = mongo.db().collection<AnalysisDocument>('analyses');
    // Through the repository the CLI uses: the API process reads it from the same database.
    editorToken = (await new CredentialsRepository(mongo.db()).createToken('fault-injection', 'editor')).token;
    api = await startApi();
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
    await mongo?.close();
    await Promise.all([pose?.stop(), db?.dispose()]);
    if (process.env.KEEP_FAULT_LOGS) console.warn(`fault-injection logs in ${logDir}`);
    else rmSync(logDir, { recursive: true, force: true });
  });

  it('SIGKILL of backend-api during image analyses: the interrupted ones fail within the deadline and retry to done', async () => {
    const inFlight = Array.from({ length: 6 }, () => uploadTo(api, editorToken, 'astronaut.jpg', 'image/jpeg'));
    await waitFor(() => inferenceOf(pose), (stats) => (stats?.active ?? 0) >= 1, 20_000);
    const killedAt = Date.now();
    await api.kill();
    await Promise.all(inFlight); // cut off: the process that owed the answers is gone
    api = await startApi();

    await expectNoneRunningWithin(Math.max(0, DEADLINE_MS - (Date.now() - killedAt)) + 1000);
    const interrupted = await analyses.find({ kind: 'image', 'error.code': 'LEASE_EXPIRED' }).toArray();
    expect(interrupted.length).toBeGreaterThan(0);
    for (const doc of interrupted) {
      const retried = await send(`${api.url}/api/analyses/${doc._id.toHexString()}/retry`, withToken(editorToken, { method: 'POST' }));
      expect('lost' in retried ? retried : retried.status).toBe(200);
      expect(AnalysisSchema.parse((retried as { body: unknown }).body)).toMatchObject({ status: 'done', attempts: 2 });
    }
  }, 90_000);

  it('SIGKILL of backend-api during a video job: pose-service stops the orphaned call, the job is taken over once', async () => {
    const watch = watchInference(() => pose);
    try {
      const accepted = await uploadTo(api, editorToken, 'long-walk.mp4', 'video/mp4');
      const id = idOf(accepted);
      expect(id).toBeDefined();
      const before = await inferenceOf(pose);
      await waitFor(() => inferenceOf(pose), (stats) => stats?.active === 1, 20_000);
      await api.kill();
      // The orphaned request is cancelled within a batch: no work is left running beside the next holder's.
      await waitFor(() => inferenceOf(pose), (stats) => stats?.active === 0 && stats.cancelled > (before?.cancelled ?? 0), 10_000);

      api = await startApi();
      const done = await waitFor(() => stored(id as string), (doc) => doc?.status === 'done' || doc?.status === 'failed', 90_000);
      expect(done).toMatchObject({ status: 'done', attempts: 2 });
      expect(watch.maxActive()).toBe(1);
    } finally {
      watch.stop();
    }
  }, 150_000);

  it('SIGKILL of pose-service during image analyses: every request is answered, the failed ones retry to done', async () => {
    const inFlight = Array.from({ length: 6 }, () => uploadTo(api, editorToken, 'astronaut.jpg', 'image/jpeg'));
    await waitFor(() => inferenceOf(pose), (stats) => (stats?.active ?? 0) >= 1, 20_000);
    await pose.kill();
    const answers = await Promise.all(inFlight);
    expectAnsweredOrClear503(answers);
    const failedIds = answers.flatMap((outcome) => {
      const analysis = 'lost' in outcome ? undefined : AnalysisSchema.safeParse(outcome.body).data;
      return analysis?.status === 'failed' ? [analysis.id] : [];
    });
    expect(failedIds.length).toBeGreaterThan(0);

    pose = await startPose(pose);
    for (const id of failedIds) {
      const retried = await send(`${api.url}/api/analyses/${id}/retry`, withToken(editorToken, { method: 'POST' }));
      expect(AnalysisSchema.parse((retried as { body: unknown }).body).status).toBe('done');
    }
    await expectNoneRunningWithin(DEADLINE_MS);
  }, 150_000);

  it('SIGKILL of pose-service during a video job: the job retries with backoff and is done once pose-service is back', async () => {
    const accepted = await uploadTo(api, editorToken, 'long-walk.mp4', 'video/mp4');
    const id = idOf(accepted) as string;
    await waitFor(() => inferenceOf(pose), (stats) => stats?.active === 1, 20_000);
    await pose.kill();
    // Requeued (pending with a backoff), not failed, while pose-service is down.
    const requeued = await waitFor(() => stored(id), (doc) => (doc?.poseFailures ?? 0) >= 1, 10_000);
    expect(requeued?.status).not.toBe('failed');

    pose = await startPose(pose);
    const done = await waitFor(() => stored(id), (doc) => doc?.status === 'done' || doc?.status === 'failed', 90_000);
    expect(done?.status).toBe('done');
    expect(done?.poseFailures).toBeGreaterThanOrEqual(1);
  }, 180_000);

  it('FerretDB stopped and restarted under load: every request is answered or a clear 503, nothing accepted is lost', async () => {
    const outcomes: Outcome[] = [];
    const accepted: string[] = [];
    let isLoading = true;
    const worker = async (n: number) => {
      for (let i = 0; isLoading; i += 1) {
        const outcome = (n + i) % 4 === 0 ? await uploadTo(api, editorToken, 'astronaut.jpg', 'image/jpeg') : await send(`${api.url}/api/analyses?pageSize=10`, withToken(editorToken));
        outcomes.push(outcome);
        const id = idOf(outcome);
        if (id && !('lost' in outcome) && outcome.status === 201) accepted.push(id);
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, (_, n) => worker(n)));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await db.stop();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await db.restart();
    // Usually back within a second or two; on a 2-core host shared with other builds the driver has taken over
    // 20 s to use the restarted server (cause not pinned down yet), so the bound is generous: what this test
    // asserts is that nothing fails unclearly or is lost meanwhile.
    await waitFor(() => send(`${api.url}/api/analyses`, withToken(editorToken)), (outcome) => !('lost' in outcome) && outcome.status === 200, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    isLoading = false;
    await load;

    try {
      expectAnsweredOrClear503(outcomes);
    } catch (error) {
      // What the server logged for its 5xx answers: the cause a rare failure here needs, before logDir is removed.
      // 503s are logged at the same level: the other answers go last, so the five shown are those first.
      const logged = readFileSync(join(logDir, 'backend-api.log'), 'utf8').split('\n').filter((line) => line.includes('"level":50'));
      const is503 = (line: string) => line.includes('"statusCode":503');
      const serverErrors = [...logged.filter(is503), ...logged.filter((line) => !is503(line))];
      console.error(`backend-api's last errors:\n${serverErrors.slice(-5).map((line) => line.slice(0, 1500)).join('\n')}`);
      throw error;
    }
    expect(outcomes.some((outcome) => !('lost' in outcome) && outcome.status === 503)).toBe(true);
    const found = await analyses.countDocuments({ _id: { $in: accepted.map((id) => new ObjectId(id)) } });
    expect(found).toBe(accepted.length);
    await expectNoneRunningWithin(DEADLINE_MS);
  }, 90_000);

  it('restart of backend-api against the existing database: no index error, no dropped connection, no failed request', async () => {
    await api.stop();
    api = await startApi();
    const answers = await Promise.all([
      ...Array.from({ length: 40 }, () => send(`${api.url}/api/analyses`, withToken(editorToken))),
      ...Array.from({ length: 10 }, () => uploadTo(api, editorToken, 'astronaut.jpg', 'image/jpeg')),
    ]);
    expect(answers.map((outcome) => ('lost' in outcome ? outcome.lost : outcome.status)).filter((status) => status !== 200 && status !== 201)).toEqual([]);
    // The FerretDB createIndexes panic (docs/ferretdb-createindexes-panic.md) shows up in its log as a panic.
    expect(readFileSync(join(logDir, 'ferretdb.log'), 'utf8')).not.toMatch(/panic|slice bounds/);
  }, 90_000);
});
