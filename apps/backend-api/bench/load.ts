/*
 * Bounded load test (autocannon, loopback only) of GET /api/analyses and of image uploads, against a real stack:
 * FerretDB, pose-service on CPU, backend-api as its own process. Not a test: it prints figures, and says how many
 * requests failed (a healthy stack has none).
 *
 *   npx nx run backend-api:load                                  # 30 s per route, 50 connections
 *   npx nx run backend-api:load --args="--duration=10 --checkout=/tmp/main-checkout"   # older code, same load
 *
 * The database is seeded through the API first (videos and images, analysed for real), so a list page carries
 * what the issue measured: video results among the newest twenty.
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { AnalysisSchema } from '@posestack/api-contracts';
import { poseServiceSkipReason, startBackendApi, startFerretDb, startPoseService } from '@posestack/test-stack';
import { MongoClient } from 'mongodb';
import { CredentialsRepository } from '../src/auth/credentials-repository';
import { fixture, multipartBody, waitFor } from '../tests/support/multipart';

interface Figures {
  route: string;
  p50: number;
  p99: number;
  requestsPerS: number;
  bytesPerS: number;
  total: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

function figuresOf(route: string, result: autocannon.Result): Figures {
  return {
    route,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requestsPerS: result.requests.average,
    bytesPerS: result.throughput.average,
    total: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}

async function seed(base: string, authorization: string, videos: number, images: number): Promise<void> {
  const post = async (name: string, type: string) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(fixture(name))], { type }), name);
    const response = await fetch(`${base}/api/analyses`, { method: 'POST', body: form, headers: { authorization } });
    return AnalysisSchema.parse(await response.json());
  };
  const accepted = [];
  for (let i = 0; i < videos; i += 1) accepted.push(await post('long-walk.mp4', 'video/mp4'));
  for (let i = 0; i < images; i += 1) accepted.push(await post('astronaut.jpg', 'image/jpeg'));
  for (const analysis of accepted) {
    await waitFor(
      async () => AnalysisSchema.parse(await (await fetch(`${base}/api/analyses/${analysis.id}`, { headers: { authorization } })).json()),
      (a) => a.status === 'done' || a.status === 'failed',
      300_000,
    );
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '30' },
      connections: { type: 'string', default: '50' },
      videos: { type: 'string', default: '6' },
      images: { type: 'string', default: '14' },
      checkout: { type: 'string' },
    },
  });
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const skipReason = poseServiceSkipReason();
  if (skipReason) throw new Error(`cannot run the load test: ${skipReason}`);

  const [db, pose] = await Promise.all([startFerretDb({ database: 'posestack-load', logLevel: 'error' }), startPoseService({ models: ['multipose'], checkoutRoot: values.checkout })]);
  const api = await startBackendApi({ mongoUrl: db.url, poseServiceUrl: pose.url, poseServiceToken: pose.token, checkoutRoot: values.checkout, env: { LOG_LEVEL: 'error' } });
  // An editor token through the CLI's repository (a checkout from before authentication ignores it).
  const mongo = new MongoClient(db.url);
  const authorization = `Bearer ${(await new CredentialsRepository(mongo.db()).createToken('load-test', 'editor')).token}`;
  await mongo.close();
  try {
    await seed(api.url, authorization, Number(values.videos), Number(values.images));
    const page = await fetch(`${api.url}/api/analyses`, { headers: { authorization } });
    const pageBytes = (await page.arrayBuffer()).byteLength;
    console.log(`backend-api and pose-service from ${values.checkout ?? 'this checkout'}; seeded ${values.videos} videos (120 frames) + ${values.images} images`);
    console.log(`GET /api/analyses default page: ${(pageBytes / 1024).toFixed(1)} KiB`);

    // Images are analysed inside the upload request, so at 50 connections on a 2-core CPU an upload waits several
    // seconds in pose-service's queue: a 30 s client timeout (autocannon's default is 10 s) measures the server.
    const timeout = 30;
    const list = await run({ url: `${api.url}/api/analyses`, headers: { authorization }, connections, duration, timeout });
    const upload = multipartBody(fixture('astronaut.jpg'), 'astronaut.jpg', 'image/jpeg');
    const uploads = await run({
      url: `${api.url}/api/analyses`,
      method: 'POST',
      headers: { ...upload.headers, authorization },
      body: upload.payload,
      connections,
      duration,
      timeout,
    });
    const rows = [figuresOf('GET /api/analyses', list), figuresOf('POST /api/analyses (image)', uploads)];
    console.log(`autocannon, ${connections} connections, ${duration} s each, loopback`);
    for (const f of rows) {
      console.log(
        `${f.route.padEnd(28)} p50 ${String(f.p50).padStart(6)} ms  p99 ${String(f.p99).padStart(6)} ms  ${f.requestsPerS.toFixed(1).padStart(7)} req/s  ` +
          `${(f.bytesPerS / 1024).toFixed(0).padStart(6)} KiB/s  ${f.total} requests, errors ${f.errors}, timeouts ${f.timeouts}, non-2xx ${f.non2xx}`,
      );
    }
    console.log(`JSON ${JSON.stringify(rows)}`);
  } finally {
    await api.stop();
    await Promise.all([pose.stop(), db.dispose()]);
  }
}

void main();
