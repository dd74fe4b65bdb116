import type { FastifyBaseLogger } from 'fastify';
import type { AnalysesRepository } from '../analyses/analyses-repository';
import type { AnalysisDocument } from '../analyses/analysis-document';
import type { MediaStore } from '../media/media-store';
import { PoseServiceError, type PoseServiceClient } from '../pose-service/pose-service-client';
import { isMongoUnavailable } from '../errors/to-api-error';

export interface VideoJobWorkerOptions {
  /** Unique per process: the lease names its holder. */
  owner: string;
  leaseMs: number;
  pollMs: number;
  maxClaims: number;
}

/**
 * Processes video analyses one at a time, the queue being the `analyses` collection itself (no broker to run).
 * A job is leased, not locked: the lease is extended while pose-service works, handed back on graceful stop,
 * and taken over by any worker once it expires (the holder crashed), so no accepted video is ever stranded.
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
    this.abort.abort();
    await this.current;
  }

  /** One poll: sweep abandoned jobs, then run jobs until the queue is empty. Exposed for tests. */
  async tick(): Promise<void> {
    await this.repository.failExhausted(new Date(), this.options.maxClaims);
    while (!this.isStopping) {
      const job = await this.repository.claimNextVideo(this.options.owner, new Date(), this.options.leaseMs, this.options.maxClaims);
      if (!job) return;
      await this.process(job);
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

  private async process(job: AnalysisDocument): Promise<void> {
    const { owner, leaseMs } = this.options;
    const log = this.log.child({ analysisId: job._id.toHexString(), attempt: job.attempts });
    const started = new Date();
    const heartbeat = setInterval(() => {
      this.repository.extendLease(job._id, owner, new Date(Date.now() + leaseMs)).catch((error) => log.warn({ err: error }, 'lease extension failed'));
    }, Math.max(100, Math.floor(leaseMs / 3)));

    try {
      const data = await this.mediaStore.read(job.media.fileId);
      const poseStarted = performance.now();
      const outcome = await this.poseService.analyzeVideo(
        { data, filename: job.media.filename, contentType: job.media.contentType, model: job.requestedModel },
        this.abort.signal,
      );
      const timings = {
        queuedMs: job.queuedAt ? Math.max(0, started.getTime() - job.queuedAt.getTime()) : undefined,
        poseServiceMs: Math.round(performance.now() - poseStarted),
        ...(outcome.stagesMs ? { stagesMs: outcome.stagesMs } : {}),
      };
      await this.repository.complete(job._id, { ...outcome, timings: dropUndefined(timings) }, new Date(), owner);
      log.info('video analysis done');
    } catch (error) {
      if (this.isStopping) {
        await this.repository.releaseLease(job._id, owner, new Date()).catch((e) => log.warn({ err: e }, 'could not release the lease; it will expire'));
        log.info('video job handed back for shutdown');
        return;
      }
      if (isMongoUnavailable(error)) {
        // Leave the lease to expire: the job is re-taken once the database is back.
        log.warn({ err: error }, 'database unavailable during a video job');
        return;
      }
      const reason =
        error instanceof PoseServiceError
          ? { code: error.code, message: error.message }
          : { code: 'INTERNAL', message: 'the video could not be processed' };
      log.warn({ err: error }, 'video analysis failed');
      await this.repository.fail(job._id, reason, dropUndefined({ queuedMs: job.queuedAt ? started.getTime() - job.queuedAt.getTime() : undefined }), new Date(), owner);
    } finally {
      clearInterval(heartbeat);
    }
  }
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
