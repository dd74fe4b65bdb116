import type { FastifyBaseLogger } from 'fastify';
import type { AnalysesRepository } from '../analyses/analyses-repository';
import type { AnalysisDocument } from '../analyses/analysis-document';
import { HeldLease, newLeaseToken } from '../analyses/held-lease';
import type { MediaStore } from '../media/media-store';
import { PoseServiceError, type PoseServiceClient } from '../pose-service/pose-service-client';
import { isMongoOverloaded, isMongoUnavailable } from '../errors/to-api-error';

export interface VideoJobWorkerOptions {
  /** Unique per process: lease tokens start with it. */
  instanceId: string;
  leaseMs: number;
  pollMs: number;
  /** Transient pose-service failures retried (with backoff) before the job fails. */
  retryLimit: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

/** Backoff before the n-th retry (n from 0): base * 2^n, capped; pose-service's Retry-After wins when longer. */
export function retryDelayMs(failuresSoFar: number, options: Pick<VideoJobWorkerOptions, 'retryBaseMs' | 'retryMaxMs'>, retryAfterS?: number): number {
  const backoff = Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** failuresSoFar);
  return Math.max(backoff, (retryAfterS ?? 0) * 1000);
}

/**
 * Processes video analyses one at a time, the queue being the `analyses` collection itself (no broker to run).
 * A job is leased, not locked: the lease is renewed while pose-service works, handed back on graceful stop, and
 * put back in the queue by the sweep once it expires (the holder crashed), so no accepted video is stranded.
 * When the lease is lost the pose-service call is aborted, and pose-service stops the work when its client goes
 * away, so a job never runs twice at the same time.
 */
export class VideoJobWorker {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private isStopping = false;

  constructor(
    private readonly repository: AnalysesRepository,
    private readonly mediaStore: MediaStore,
    private readonly poseService: PoseServiceClient,
    private readonly log: FastifyBaseLogger,
    private readonly options: VideoJobWorkerOptions,
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** Stops polling, aborts the pose call in flight and hands its job back to the queue. */
  async stop(): Promise<void> {
    this.isStopping = true;
    clearTimeout(this.timer);
    this.abort.abort(new Error('shutdown'));
    await this.current;
  }

  /** One poll: run jobs until none is ready. Exposed for tests. */
  async tick(): Promise<void> {
    while (!this.isStopping) {
      const token = newLeaseToken(this.options.instanceId);
      const job = await this.repository.claimNextVideo(token, new Date(), this.options.leaseMs);
      if (!job) return;
      await this.process(job, token);
    }
  }

  private schedule(delayMs: number): void {
    if (this.isStopping) return;
    this.timer = setTimeout(() => {
      this.current = this.tick()
        .catch((error) => {
          // Database down: keep polling; the jobs are safe in MongoDB and resume when it is back.
          const level = isMongoUnavailable(error) ? 'warn' : 'error';
          this.log[level]({ err: error }, 'video job poll failed');
        })
        .finally(() => this.schedule(this.options.pollMs));
    }, delayMs);
  }

  private async process(job: AnalysisDocument, token: string): Promise<void> {
    const log = this.log.child({ analysisId: job._id.toHexString(), attempt: job.attempts });
    const started = new Date();
    const queuedMs = job.queuedAt ? Math.max(0, started.getTime() - job.queuedAt.getTime()) : undefined;
    const lease = new HeldLease(this.repository, job._id, token, this.options.leaseMs, log);
    try {
      const data = await this.mediaStore.read(job.media.fileId);
      const poseStarted = performance.now();
      const outcome = await this.poseService.analyzeVideo(
        { data, filename: job.media.filename, contentType: job.media.contentType, model: job.requestedModel },
        AbortSignal.any([this.abort.signal, lease.signal]),
      );
      const timings = {
        queuedMs,
        poseServiceMs: Math.round(performance.now() - poseStarted),
        ...(outcome.stagesMs ? { stagesMs: outcome.stagesMs } : {}),
      };
      const done = await this.repository.complete(job._id, { ...outcome, timings: dropUndefined(timings) }, new Date(), token);
      if (done) log.info('video analysis done');
      else log.warn('video analysis finished after its lease was lost; the result was dropped');
    } catch (error) {
      await this.handleFailure(job, token, error, queuedMs, lease, log);
    } finally {
      lease.release();
    }
  }

  private async handleFailure(
    job: AnalysisDocument,
    token: string,
    error: unknown,
    queuedMs: number | undefined,
    lease: HeldLease,
    log: FastifyBaseLogger,
  ): Promise<void> {
    if (this.isStopping) {
      await this.repository.releaseLease(job._id, token, new Date()).catch((e) => log.warn({ err: e }, 'could not release the lease; it will expire'));
      log.info('video job handed back for shutdown');
      return;
    }
    if (lease.isLost) {
      log.warn('lost the lease on a video job; stopped its pose-service call');
      return;
    }
    if (isMongoUnavailable(error) || isMongoOverloaded(error)) {
      // Leave the lease to expire: the sweep puts the job back once the database answers again.
      log.warn({ err: error }, 'database unavailable during a video job');
      return;
    }
    const failures = job.poseFailures ?? 0;
    if (error instanceof PoseServiceError && error.isTransient && failures < this.options.retryLimit) {
      const delayMs = retryDelayMs(failures, this.options, error.retryAfterS);
      await this.repository.requeueAfterTransientFailure(job._id, token, new Date(), new Date(Date.now() + delayMs));
      log.warn({ err: error, retryInMs: delayMs, retry: failures + 1 }, 'pose-service failed transiently; video job requeued');
      return;
    }
    const reason =
      error instanceof PoseServiceError ? { code: error.code, message: error.message } : { code: 'INTERNAL', message: 'the video could not be processed' };
    log.warn({ err: error }, 'video analysis failed');
    await this.repository.fail(job._id, reason, dropUndefined({ queuedMs }), new Date(), token);
  }
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
