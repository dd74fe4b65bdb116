import type { Collection, Db, Filter, ObjectId } from 'mongodb';
import type { AnalysisError, AnalysisKind, AnalysisStatus, Media, Timings } from '@posestack/api-contracts';
import type { AnalysisDocument } from './analysis-document';

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

/** Every MongoDB query on analyses; routes and the job worker never build filters themselves. */
export class AnalysesRepository {
  readonly collection: Collection<AnalysisDocument>;

  constructor(db: Db) {
    this.collection = db.collection<AnalysisDocument>('analyses');
  }

  /** Idempotent; run at start-up (and retried until the database answers). */
  async ensureIndexes(): Promise<void> {
    await this.collection.createIndexes([
      // GET /api/analyses: newest first, _id breaks ties between uploads of the same millisecond.
      { key: { createdAt: -1, _id: -1 }, name: 'newest_first' },
      // The worker's claim query and the exhausted-lease sweep.
      { key: { kind: 1, status: 1, createdAt: 1 }, name: 'job_queue' },
      { key: { status: 1, leaseUntil: 1 }, name: 'job_leases' },
    ]);
  }

  async insert(doc: AnalysisDocument): Promise<void> {
    await this.collection.insertOne(doc);
  }

  findById(id: ObjectId): Promise<AnalysisDocument | null> {
    return this.collection.findOne({ _id: id });
  }

  async list(query: ListQuery): Promise<{ items: AnalysisDocument[]; total: number }> {
    const filter: Filter<AnalysisDocument> = {};
    if (query.kind) filter.kind = query.kind;
    if (query.status) filter.status = query.status;
    const [items, total] = await Promise.all([
      this.collection
        .find(filter)
        .sort({ createdAt: -1, _id: -1 })
        .skip((query.page - 1) * query.pageSize)
        .limit(query.pageSize)
        .toArray(),
      this.collection.countDocuments(filter),
    ]);
    return { items, total };
  }

  deleteById(id: ObjectId): Promise<AnalysisDocument | null> {
    return this.collection.findOneAndDelete({ _id: id });
  }

  /**
   * Stores a finished result. With `leaseOwner`, only while that worker still holds the lease, so a worker that
   * lost its lease (paused, partitioned) cannot overwrite the result of the one that took over.
   */
  async complete(id: ObjectId, done: Completion, now: Date, leaseOwner?: string): Promise<AnalysisDocument | null> {
    const media = Object.fromEntries(
      Object.entries(done.media)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => [`media.${key}`, value]),
    );
    return this.collection.findOneAndUpdate(
      { _id: id, ...(leaseOwner ? { leaseOwner } : {}) },
      {
        $set: { status: 'done', model: done.model, result: done.result, timings: done.timings, updatedAt: now, ...media },
        $unset: { error: '', leaseOwner: '', leaseUntil: '' },
      },
      { returnDocument: 'after' },
    );
  }

  async fail(id: ObjectId, error: AnalysisError, timings: Timings, now: Date, leaseOwner?: string): Promise<AnalysisDocument | null> {
    return this.collection.findOneAndUpdate(
      { _id: id, ...(leaseOwner ? { leaseOwner } : {}) },
      { $set: { status: 'failed', error, timings, updatedAt: now }, $unset: { leaseOwner: '', leaseUntil: '' } },
      { returnDocument: 'after' },
    );
  }

  /**
   * Takes the oldest video that is pending, or running under an expired lease (its worker died: crash, kill -9,
   * lost container), as one atomic findOneAndUpdate, so two workers never take the same job.
   */
  claimNextVideo(owner: string, now: Date, leaseMs: number, maxClaims: number): Promise<AnalysisDocument | null> {
    return this.collection.findOneAndUpdate(
      {
        kind: 'video',
        $or: [{ status: 'pending' }, { status: 'running', leaseUntil: { $lt: now }, claims: { $lt: maxClaims } }],
      },
      {
        $set: { status: 'running', leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs), updatedAt: now },
        $inc: { attempts: 1, claims: 1 },
      },
      { sort: { createdAt: 1 }, returnDocument: 'after' },
    );
  }

  /** Running jobs whose workers died JOB_MAX_CLAIMS times: failed, with the reason, instead of looping. */
  async failExhausted(now: Date, maxClaims: number): Promise<number> {
    const result = await this.collection.updateMany(
      { status: 'running', leaseUntil: { $lt: now }, claims: { $gte: maxClaims } },
      {
        $set: {
          status: 'failed',
          updatedAt: now,
          error: { code: 'JOB_ABANDONED', message: `processing was interrupted ${maxClaims} times; retry to try again` },
        },
        $unset: { leaseOwner: '', leaseUntil: '' },
      },
    );
    return result.modifiedCount;
  }

  async extendLease(id: ObjectId, owner: string, until: Date): Promise<boolean> {
    const result = await this.collection.updateOne({ _id: id, leaseOwner: owner }, { $set: { leaseUntil: until } });
    return result.matchedCount === 1;
  }

  /** Graceful shutdown: hand the job back at once (not after the lease), without counting it as a crash. */
  async releaseLease(id: ObjectId, owner: string, now: Date): Promise<void> {
    await this.collection.updateOne(
      { _id: id, leaseOwner: owner, status: 'running' },
      { $set: { status: 'pending', queuedAt: now, updatedAt: now }, $unset: { leaseOwner: '', leaseUntil: '' }, $inc: { claims: -1 } },
    );
  }

  /** POST /retry of a failed video: back to the queue with a fresh claim budget. */
  requeue(id: ObjectId, now: Date): Promise<AnalysisDocument | null> {
    return this.collection.findOneAndUpdate(
      { _id: id, kind: 'video', status: 'failed' },
      { $set: { status: 'pending', claims: 0, queuedAt: now, updatedAt: now }, $unset: { error: '' } },
      { returnDocument: 'after' },
    );
  }

  /** POST /retry of a failed image: it runs inside the request, so straight to running. */
  restartImage(id: ObjectId, now: Date): Promise<AnalysisDocument | null> {
    return this.collection.findOneAndUpdate(
      { _id: id, kind: 'image', status: 'failed' },
      { $set: { status: 'running', updatedAt: now }, $unset: { error: '' }, $inc: { attempts: 1 } },
      { returnDocument: 'after' },
    );
  }
}
