/*
 * Stores a finished video analysis whose result is a given pose-service answer, through the API's own adapter,
 * repository and media store: for browser tests that need a result the running pose-service cannot give (a
 * model it has not loaded). Prints the analysis as the API serves it (JSON). A test tool, not part of the build.
 *
 *   node -r @swc-node/register apps/backend-api/scripts/seed-analysis.ts \
 *     --mongo-url mongodb://127.0.0.1:27017/posestack --media clip.webm --pose-answer answer.json
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { AnalysesRepository } from '../src/analyses/analyses-repository';
import { toAnalysis } from '../src/analyses/analysis-document';
import { newAnalysisDocument } from '../src/analyses/analysis-service';
import { newLeaseToken } from '../src/analyses/held-lease';
import { databaseNameOf } from '../src/config/env';
import { MediaStore } from '../src/media/media-store';
import { sniffMedia } from '../src/media/sniff-media';
import { RawVideoPoseSchema, toVideoOutcome } from '../src/pose-service/adapter';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'mongo-url': { type: 'string' }, media: { type: 'string' }, 'pose-answer': { type: 'string' } },
  });
  const { 'mongo-url': mongoUrl, media: mediaPath, 'pose-answer': answerPath } = values;
  if (!mongoUrl || !mediaPath || !answerPath) throw new Error('seed-analysis: --mongo-url, --media and --pose-answer are required');

  const data = readFileSync(mediaPath);
  const media = sniffMedia(data.subarray(0, 16));
  if (media?.kind !== 'video') throw new Error(`seed-analysis: --media ${mediaPath} is not a video we accept`);
  // The same parse the live pose-service answer goes through, so a fixture that drifts from the contract fails here.
  const outcome = toVideoOutcome(RawVideoPoseSchema.parse(JSON.parse(readFileSync(answerPath, 'utf8'))));

  const client = new MongoClient(mongoUrl, { retryWrites: false, serverSelectionTimeoutMS: 5000 });
  try {
    const db = client.db(databaseNameOf(mongoUrl));
    const repository = new AnalysesRepository(db, { maxTimeMS: 5000 });
    const mediaStore = new MediaStore(db);
    const upload = { data, filename: basename(mediaPath), media, model: outcome.model };
    const now = new Date();
    const lease = { token: newLeaseToken('seed-analysis'), until: new Date(now.getTime() + 60_000) };
    const queued = newAnalysisDocument(upload, await mediaStore.put(data, upload.filename, media.contentType), now, lease);
    // Stored as running under this script's own lease, so no worker claims it before complete().
    const doc = { ...queued, status: 'running' as const, leaseOwner: lease.token, leaseUntil: lease.until, attempts: 1, claims: 1 };
    await repository.insert(doc);
    const done = await repository.complete(doc._id, { ...outcome, timings: {} }, new Date(), lease.token);
    if (!done) throw new Error(`seed-analysis: analysis ${doc._id.toHexString()} vanished before it was completed`);
    process.stdout.write(`${JSON.stringify(toAnalysis(done))}\n`);
  } finally {
    await client.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
