import { MongoServerError, type Collection, type Db, type Filter, type IndexSpecification, type ObjectId } from 'mongodb';
import type { AnalysisError, AnalysisKind, AnalysisStatus, Media, Timings } from '@posestack/api-contracts';
import { summarise, type AnalysisDocument } from './analysis-document';

const NAMESPACE_NOT_FOUND = 26;

/** Named, so an existing index is recognised by name and never created twice. */
export const INDEXES: readonly { collection: 'analyses' | 'analysis_results'; name: string; key: IndexSpecification }[] = [
  // GET /api/analyses: newest first, _id breaks ties between uploads of the same millisecond.
  { collection: 'analyses', key: { createdAt: -1, _id: -1 }, name: 'newest_first' },
  // The worker's claim query.
  { collection: 'analyses', key: { kind: 1, status: 1, createdAt: 1 }, name: 'job_queue' },
  // The sweep of expired leases.
  { collection: 'analyses', key: { status: 1, leaseUntil: 1 }, name: 'job_leases' },
  // DELETE removes an analysis's results.
  { collection: 'analysis_results', key: { analysisId: 1 }, name: 'by_analysis' },
];

/**
 * A result lives in its own collection, keyed by the lease token of the claim that produced it. Why: the list
 * reads the analyses collection, and FerretDB's SQLite backend loads whole documents whatever the projection,
 * so frame data (hundreds of KB per video) in there made every list page slow. Keyed by token, a result written
 * by a holder that lost its lease can be removed without touching the current holder's.
 */
interface ResultDocument {
  _id: string;
  analysisId: ObjectId;
  result: NonNullable<AnalysisDocument['result']>;
}

export interface ListQuery {
  page: number;
  pageSize: number;
  kind?: AnalysisKind;
  status?: AnalysisStatus;
}

export interface Completion {
  model: string;
  result: NonNullable<AnalysisDocument['result']>;
  media: Partial<Media>;
  timings: Timings;
}

export interface RepositoryOptions {
  /** Server-side time limit of each read (maxTimeMS). */
  maxTimeMS: number;
}

export interface SweepResult {
  imagesFailed: number;
  videosRequeued: number;
  videosAbandoned: number;
}

/** Clears the lease fields whenever an analysis leaves `running`. */
const NO_LEASE = { leaseOwner: '', leaseUntil: '' } as const;

/** Every MongoDB query on analyses; routes and the job worker never build filters themselves. */
export class AnalysesRepository {
  readonly collection: Collection<AnalysisDocument>;
  private readonly results: Collection<ResultDocument>;

  constructor(
    private readonly db: Db,
    private readonly options: RepositoryOptions,
  ) {
    this.collection = db.collection<AnalysisDocument>('analyses');
    this.results = db.collection<ResultDocument>('analysis_results');
  }

  /**
   * Creates the indexes that are missing, one `createIndex` each, after reading what exists. Idempotent on
   * MongoDB and FerretDB alike: FerretDB 1.24 panics (and drops the connection, clearing the driver's pool) on a
   * multi-index createIndexes whose specs already exist (docs/ferretdb-createindexes-panic.md), so the existing
   * ones are never sent again. Returns the names it created.
   */
  async ensureIndexes(): Promise<string[]> {
    const created: string[] = [];
    for (const collection of new Set(INDEXES.map((index) => index.collection))) {
      const existing = new Set(await this.listIndexNames(collection));
      for (const { key, name } of INDEXES.filter((index) => index.collection === collection)) {
        if (existing.has(name)) continue;
        await this.db.collection(collection).createIndex(key, { name });
        created.push(`${collection}.${name}`);
      }
    }
    return created;
  }

  private async listIndexNames(collection: string): Promise<string[]> {
    try {
      const indexes = await this.db.collection(collection).listIndexes().toArray();
      return indexes.map((index) => String(index.name));
    } catch (error) {
      // A collection that does not exist yet has no indexes (createIndex creates it).
      if (error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND) return [];
      throw error;
    }
  }

  async insert(doc: AnalysisDocument): Promise<void> {
    await this.collection.insertOne(doc);
  }

  /** The analysis with its result. */
  async findById(id: ObjectId): Promise<AnalysisDocument | null> {
    const doc = await this.collection.findOne({ _id: id }, { maxTimeMS: this.options.maxTimeMS });
    if (!doc?.resultId) return doc;
    const stored = await this.results.findOne({ _id: doc.resultId }, { maxTimeMS: this.options.maxTimeMS });
    return { ...doc, result: stored?.result ?? null };
  }

  /** A page of summaries: no result (older documents hold theirs inline, hence the projection). */
  async list(query: ListQuery): Promise<{ items: AnalysisDocument[]; total: number }> {
    const filter: Filter<AnalysisDocument> = {};
    if (query.kind) filter.kind = query.kind;
    if (query.status) filter.status = query.status;
    const { maxTimeMS } = this.options;
    const [items, total] = await Promise.all([
      this.collection
        .find(filter, { projection: { result: 0 }, maxTimeMS })
        .sort({ createdAt: -1, _id: -1 })
        .skip((query.page - 1) * query.pageSize)
        .limit(query.pageSize)
        .toArray(),
      this.collection.countDocuments(filter, { maxTimeMS }),
    ]);
    return { items, total };
  }

  async deleteById(id: ObjectId): Promise<AnalysisDocument | null> {
    const doc = await this.collection.findOneAndDelete({ _id: id });
    if (doc) await this.results.deleteMany({ analysisId: id });
    return doc;
  }

  /**
   * Stores a finished result, only while `leaseToken` still holds the lease: a holder that lost it (paused,
   * partitioned, swept) cannot overwrite what the next holder did, or revive a swept analysis.
   */
  async complete(id: ObjectId, done: Completion, now: Date, leaseToken: string): Promise<AnalysisDocument | null> {
    const media = Object.fromEntries(
      Object.entries(done.media)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => [`media.${key}`, value]),
    );
    await this.results.insertOne({ _id: leaseToken, analysisId: id, result: done.result });
    const finished = await this.collection.findOneAndUpdate(
      { _id: id, status: 'running', leaseOwner: leaseToken },
      {
        $set: {
          status: 'done',
          model: done.model,
          resultId: leaseToken,
          summary: summarise(done.result),
          timings: done.timings,
          updatedAt: now,
          ...media,
        },
        $unset: { error: '', ...NO_LEASE },
      },
      { returnDocument: 'after' },
    );
    if (!finished) {
      await this.results.deleteOne({ _id: leaseToken });
      return null;
    }
    return { ...finished, result: done.result };
  }

  fail(id: ObjectId, error: AnalysisError, timings: Timings, now: Date, leaseToken: string): Promise<AnalysisDocument | null> {
    return this.collection.findOneAndUpdate(
      { _id: id, status: 'running', leaseOwner: leaseToken },
      { $set: { status: 'failed', error, timings, updatedAt: now }, $unset: NO_LEASE },
      { returnDocument: 'after' },
    );
  }

  /** Takes the oldest pending video whose backoff is over, as one atomic findOneAndUpdate (never two holders). */
  claimNextVideo(leaseToken: string, now: Date, leaseMs: number): Promise<AnalysisDocument | null> {
    return this.collection.findOneAndUpdate(
      { kind: 'video', status: 'pending', $or: [{ notBefore: { $exists: false } }, { notBefore: { $lte: now } }] },
      {
        $set: { status: 'running', leaseOwner: leaseToken, leaseUntil: new Date(now.getTime() + leaseMs), updatedAt: now },
        $unset: { notBefore: '' },
        $inc: { attempts: 1, claims: 1 },
      },
      { sort: { createdAt: 1 }, returnDocument: 'after' },
    );
  }

  /**
   * Running analyses whose lease ran out (the holder died: crash, SIGKILL, lost container) are never left
   * running: an image (its request is gone with its holder) fails, retryable; a video goes back to the queue,
   * unless it was taken JOB_MAX_CLAIMS times already (a video that kills its worker), then it fails too.
   * Running images from before leases existed count as expired `leaseMs` after their last update.
   *
   * One indexed read first, writes only for what it found: sweeps run every few seconds in every instance, and
   * FerretDB's SQLite backend has a single writer. Each write is conditional on the lease it saw, so a lease
   * renewed in between is left alone.
   */
  async sweepExpiredLeases(now: Date, maxClaims: number, leaseMs: number): Promise<SweepResult> {
    const expired = await this.collection
      .find(
        {
          status: 'running',
          $or: [{ leaseUntil: { $lt: now } }, { leaseUntil: { $exists: false }, updatedAt: { $lt: new Date(now.getTime() - leaseMs) } }],
        },
        { projection: { _id: 1, kind: 1, claims: 1, leaseUntil: 1 }, maxTimeMS: this.options.maxTimeMS },
      )
      .toArray();
    const swept: SweepResult = { imagesFailed: 0, videosRequeued: 0, videosAbandoned: 0 };
    for (const doc of expired) {
      const seen: Filter<AnalysisDocument> = { _id: doc._id, status: 'running', leaseUntil: doc.leaseUntil ?? { $exists: false } };
      if (doc.kind === 'image') {
        const error = { code: 'LEASE_EXPIRED', message: 'the analysis was interrupted (the API instance working on it stopped); retry it' };
        const { modifiedCount } = await this.collection.updateOne(seen, { $set: { status: 'failed', updatedAt: now, error }, $unset: NO_LEASE });
        swept.imagesFailed += modifiedCount;
      } else if (doc.claims >= maxClaims) {
        const error = { code: 'JOB_ABANDONED', message: `processing was interrupted ${maxClaims} times; retry to try again` };
        const { modifiedCount } = await this.collection.updateOne(seen, { $set: { status: 'failed', updatedAt: now, error }, $unset: NO_LEASE });
        swept.videosAbandoned += modifiedCount;
      } else {
        const { modifiedCount } = await this.collection.updateOne(seen, { $set: { status: 'pending', queuedAt: now, updatedAt: now }, $unset: NO_LEASE });
        swept.videosRequeued += modifiedCount;
      }
    }
    return swept;
  }

  async extendLease(id: ObjectId, leaseToken: string, until: Date): Promise<boolean> {
    const result = await this.collection.updateOne({ _id: id, status: 'running', leaseOwner: leaseToken }, { $set: { leaseUntil: until } });
    return result.matchedCount === 1;
  }

  /** Graceful shutdown: hand the job back at once (not after the lease), without counting it as a crash. */
  async releaseLease(id: ObjectId, leaseToken: string, now: Date): Promise<void> {
    await this.collection.updateOne(
      { _id: id, leaseOwner: leaseToken, status: 'running' },
      { $set: { status: 'pending', queuedAt: now, updatedAt: now }, $unset: NO_LEASE, $inc: { claims: -1 } },
    );
  }

  /** A transient pose-service failure: back to the queue, to be claimed again once `notBefore` has passed. */
  async requeueAfterTransientFailure(id: ObjectId, leaseToken: string, now: Date, notBefore: Date): Promise<boolean> {
    const result = await this.collection.updateOne(
      { _id: id, leaseOwner: leaseToken, status: 'running' },
      { $set: { status: 'pending', notBefore, updatedAt: now }, $unset: NO_LEASE, $inc: { poseFailures: 1, claims: -1 } },
    );
    return result.modifiedCount === 1;
  }

  /** POST /retry of a failed video: back to the queue with fresh claim and retry budgets. */
  requeue(id: ObjectId, now: Date): Promise<AnalysisDocument | null> {
    return this.collection.findOneAndUpdate(
      { _id: id, kind: 'video', status: 'failed' },
      { $set: { status: 'pending', claims: 0, poseFailures: 0, queuedAt: now, updatedAt: now }, $unset: { error: '', notBefore: '' } },
      { returnDocument: 'after' },
    );
  }

  /** POST /retry of a failed image: it runs inside the request, so straight to running, under a new lease. */
  restartImage(id: ObjectId, now: Date, leaseToken: string, leaseMs: number): Promise<AnalysisDocument | null> {
    return this.collection.findOneAndUpdate(
      { _id: id, kind: 'image', status: 'failed' },
      {
        $set: { status: 'running', updatedAt: now, leaseOwner: leaseToken, leaseUntil: new Date(now.getTime() + leaseMs) },
        $unset: { error: '' },
        $inc: { attempts: 1 },
      },
      { returnDocument: 'after' },
    );
  }
}
