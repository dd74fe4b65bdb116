/*
 * Request latency of an image analysis (POST /api/analyses, synchronous pose-service call), end to end over
 * HTTP: real FerretDB, real pose-service on CPU, the API listening on a socket. Not a test: it prints figures.
 *
 *   npx nx run backend-api:bench                       # 50 requests after 5 warm-up ones
 *   npx nx run backend-api:bench --args="--requests=200 --image=path/to/photo.jpg"
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { AnalysisSchema } from '@posestack/api-contracts';
import { poseServiceSkipReason, startFerretDb, startPoseService } from '@posestack/test-stack';
import { startApp } from '../tests/support/app';
import { fixture } from '../tests/support/multipart';

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function summarise(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const f = (v: number) => v.toFixed(1).padStart(7);
  return `${label.padEnd(34)} p50 ${f(percentile(sorted, 50))} ms  p95 ${f(percentile(sorted, 95))} ms  mean ${f(mean)} ms  max ${f(sorted[sorted.length - 1])} ms`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { requests: { type: 'string', default: '50' }, warmup: { type: 'string', default: '5' }, image: { type: 'string' } } });
  const requests = Number(values.requests);
  const warmup = Number(values.warmup);
  const image = values.image ? readFileSync(values.image) : fixture('astronaut.jpg');
  const filename = values.image ? basename(values.image) : 'astronaut.jpg';

  const skipReason = poseServiceSkipReason();
  if (skipReason) throw new Error(`cannot benchmark: ${skipReason}`);

  const [db, pose] = await Promise.all([startFerretDb({ database: 'posestack-bench', logLevel: 'error' }), startPoseService({ models: ['multipose'] })]);
  const app = await startApp(db.url, pose.url, { JOB_WORKER_ENABLED: '0' });
  try {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const post = async () => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(image)], { type: 'image/jpeg' }), filename);
      const started = performance.now();
      const response = await fetch(`${base}/api/analyses`, { method: 'POST', body: form });
      const body = AnalysisSchema.parse(await response.json());
      const elapsed = performance.now() - started;
      if (response.status !== 201 || body.status !== 'done') throw new Error(`unexpected answer ${response.status} ${body.status}`);
      return { elapsed, poseMs: body.timings.poseServiceMs ?? 0 };
    };

    for (let i = 0; i < warmup; i += 1) await post();
    const results = [];
    for (let i = 0; i < requests; i += 1) results.push(await post());

    console.log(`image analysis latency, ${requests} sequential requests (${warmup} warm-up), ${filename} ${image.length} bytes, pose-service on CPU`);
    console.log(summarise('POST /api/analyses (end to end)', results.map((r) => r.elapsed)));
    console.log(summarise('  of which pose-service round trip', results.map((r) => r.poseMs)));
    console.log(summarise('  API overhead (GridFS, Mongo, I/O)', results.map((r) => r.elapsed - r.poseMs)));
  } finally {
    await app.close();
    await Promise.all([db.dispose(), pose.stop()]);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
