import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { poseServiceSkipReason, startFerretDb, startPoseService, workspaceRoot, type FerretDb, type PoseService } from '@posestack/test-stack';
import { OPENAPI_PATH } from '../src/openapi/render-openapi';
import { auth, startApp } from './support/app';

const SCHEMATHESIS = join(workspaceRoot, 'tools/schemathesis/.venv/bin/schemathesis');
const POSE_OPENAPI = join(workspaceRoot, 'apps/pose-service/openapi.json');
/** Per operation; about a minute for both services on two cores. */
const MAX_EXAMPLES = '15';

const skipReason =
  poseServiceSkipReason() ?? (existsSync(SCHEMATHESIS) ? undefined : `${SCHEMATHESIS} is missing: run npm run setup (tools/schemathesis/requirements.txt)`);
const describeWhenReady = skipReason ? describe.skip : describe;
if (skipReason) console.warn(`schemathesis.spec: skipped, ${skipReason}`);

/**
 * Property-based fuzzing of both real services from their committed OpenAPI documents: every answer, errors
 * included, must match what the document promises, and no input may cause a 5xx. Bounded by MAX_EXAMPLES.
 */
function runSchemathesis(schema: string, url: string, authorization: string): Promise<{ status: number | null; output: string }> {
  // Asynchronous: backend-api answers from this very process, so its event loop must keep running.
  return new Promise((resolve) => {
    execFile(
    SCHEMATHESIS,
    [
      'run',
      schema,
      '--url',
      url,
      '--header',
      `Authorization: ${authorization}`,
      '--max-examples',
      MAX_EXAMPLES,
      '--checks',
      'all',
      // positive_data_acceptance: schema-valid is not decodable, random bytes in `file` are rightly refused 415.
      // unsupported_method: Fastify answers 404 (401 first, without a token) for a method a path lacks, not 405.
      '--exclude-checks',
      'positive_data_acceptance,unsupported_method',
      '--seed',
      '14',
      '--no-color',
    ],
    { encoding: 'utf8', timeout: 240_000, maxBuffer: 32 * 1024 * 1024 },
    (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, output: `${stdout}\n${stderr}` }),
  );
  });
}

describeWhenReady('schemathesis against the real services (FerretDB + pose-service on CPU)', () => {
  let db: FerretDb;
  let pose: PoseService;
  let app: FastifyInstance;
  let backendUrl: string;

  beforeAll(async () => {
    [db, pose] = await Promise.all([startFerretDb({ logLevel: 'error' }), startPoseService({ models: ['multipose'] })]);
    app = await startApp(db.url, pose, { JOB_WORKER_ENABLED: '0' });
    backendUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  }, 150_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([db?.dispose(), pose?.stop()]);
  });

  it('backend-api answers as its openapi.json says', async () => {
    const { status, output } = await runSchemathesis(OPENAPI_PATH, backendUrl, auth(app).authorization);
    console.log(output.split('\n').slice(-200).join('\n'));
    expect(status).toBe(0);
  }, 300_000);

  it('pose-service answers as its openapi.json says', async () => {
    const { status, output } = await runSchemathesis(POSE_OPENAPI, pose.url, `Bearer ${pose.token}`);
    console.log(output.split('\n').slice(-200).join('\n'));
    expect(status).toBe(0);
  }, 300_000);
});
