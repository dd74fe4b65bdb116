import { ObjectId } from 'mongodb';
import type { FastifyBaseLogger } from 'fastify';
import { ApiError, notFound } from '../errors/api-error';
import type { SniffedMedia } from '../media/sniff-media';
import type { MediaStore } from '../media/media-store';
import { PoseServiceError, type PoseServiceClient } from '../pose-service/pose-service-client';
import type { AnalysisDocument } from './analysis-document';
import type { AnalysesRepository } from './analyses-repository';
import { HeldLease, newLeaseToken } from './held-lease';

export interface Upload {
  data: Buffer;
  filename: string;
  media: SniffedMedia;
  /** The model asked for; pose-service's default when absent. */
  model?: string;
}

/**
 * A fresh upload as stored: images run at once (inside the request, under `lease` from the start), videos wait
 * in the queue.
 */
export function newAnalysisDocument(upload: Upload, fileId: ObjectId, now: Date, lease: { token: string; until: Date }): AnalysisDocument {
  return {
    _id: new ObjectId(),
    kind: upload.media.kind,
    status: upload.media.kind === 'image' ? 'running' : 'pending',
    createdAt: now,
    updatedAt: now,
    media: { filename: upload.filename, contentType: upload.media.contentType, size: upload.data.length, fileId },
    model: null,
    ...(upload.model ? { requestedModel: upload.model } : {}),
    result: null,
    timings: {},
    attempts: upload.media.kind === 'image' ? 1 : 0,
    claims: 0,
    ...(upload.media.kind === 'video' ? { queuedAt: now } : { leaseOwner: lease.token, leaseUntil: lease.until }),
  };
}

export interface AnalysisServiceOptions {
  /** Names this API instance in lease tokens. */
  instanceId: string;
  leaseMs: number;
}

/** What the routes ask for; owns the order "store media, store analysis, analyse" and its failure paths. */
export class AnalysisService {
  constructor(
    private readonly repository: AnalysesRepository,
    private readonly mediaStore: MediaStore,
    private readonly poseService: PoseServiceClient,
    private readonly log: FastifyBaseLogger,
    private readonly options: AnalysisServiceOptions,
  ) {}

  /**
   * Media and analysis are stored before anything is analysed: an accepted upload survives a pose-service
   * outage (failed, retryable) or a restart (the video job is picked up again).
   */
  async create(upload: Upload): Promise<AnalysisDocument> {
    const now = new Date();
    // An image is analysed inside this request, under a lease from the start: if this instance dies, the sweep
    // fails it (retryable) instead of leaving it running for good.
    const leaseToken = newLeaseToken(this.options.instanceId);
    const fileId = await this.mediaStore.put(upload.data, upload.filename, upload.media.contentType);
    const doc = newAnalysisDocument(upload, fileId, now, { token: leaseToken, until: new Date(now.getTime() + this.options.leaseMs) });
    try {
      await this.repository.insert(doc);
    } catch (error) {
      await this.mediaStore.remove(fileId).catch(() => undefined);
      throw error;
    }
    if (doc.kind === 'video') return doc;
    return this.analyseImage(doc, upload.data, leaseToken, { isFreshUpload: true });
  }

  get(id: string): Promise<AnalysisDocument> {
    return this.stored(new ObjectId(id));
  }

  async remove(id: string): Promise<void> {
    const doc = await this.repository.deleteById(new ObjectId(id));
    if (!doc) throw notFound(id);
    await this.mediaStore.remove(doc.media.fileId);
  }

  /** Failed videos go back to the queue (202); failed images run again inside the request (200). */
  async retry(id: string): Promise<AnalysisDocument> {
    const current = await this.get(id);
    if (current.status !== 'failed') {
      throw new ApiError(409, 'CONFLICT', `analysis ${id} is ${current.status}; only failed analyses can be retried`);
    }
    const now = new Date();
    if (current.kind === 'video') {
      const queued = await this.repository.requeue(current._id, now);
      if (!queued) throw new ApiError(409, 'CONFLICT', `analysis ${id} changed while retrying; reload it`);
      return queued;
    }
    const leaseToken = newLeaseToken(this.options.instanceId);
    const running = await this.repository.restartImage(current._id, now, leaseToken, this.options.leaseMs);
    if (!running) throw new ApiError(409, 'CONFLICT', `analysis ${id} changed while retrying; reload it`);
    return this.analyseImage(running, await this.mediaStore.read(running.media.fileId), leaseToken, { isFreshUpload: false });
  }

  private async analyseImage(doc: AnalysisDocument, data: Buffer, leaseToken: string, { isFreshUpload }: { isFreshUpload: boolean }) {
    const started = performance.now();
    const upload = { data, filename: doc.media.filename, contentType: doc.media.contentType, model: doc.requestedModel };
    const lease = new HeldLease(this.repository, doc._id, leaseToken, this.options.leaseMs, this.log);
    try {
      const outcome = await this.poseService.analyzeImage(upload, lease.signal);
      const timings = { poseServiceMs: Math.round(performance.now() - started), ...(outcome.stagesMs ? { stagesMs: outcome.stagesMs } : {}) };
      // Null when the lease was lost meanwhile (swept, deleted): the stored state is the answer.
      return (await this.repository.complete(doc._id, { ...outcome, timings }, new Date(), leaseToken)) ?? (await this.stored(doc._id));
    } catch (error) {
      if (!(error instanceof PoseServiceError)) throw error;
      if (lease.isLost) return this.stored(doc._id);
      if (isFreshUpload && (error.kind === 'rejected-input' || error.kind === 'busy')) {
        // Not an analysis: bytes pose-service cannot decode (422), or no room to take them now (503, retry later).
        await this.repository.deleteById(doc._id);
        await this.mediaStore.remove(doc.media.fileId);
        if (error.kind === 'busy') {
          const retryAfterS = error.retryAfterS ?? 1;
          throw new ApiError(503, 'SERVICE_UNAVAILABLE', `pose-service is busy; send the upload again in ${retryAfterS} s`, {
            cause: error,
            retryAfterS,
          });
        }
        throw new ApiError(422, 'UNPROCESSABLE_MEDIA', error.message, { cause: error });
      }
      this.log.warn({ err: error, analysisId: doc._id.toHexString() }, 'image analysis failed');
      const timings = { poseServiceMs: Math.round(performance.now() - started) };
      const failed = await this.repository.fail(doc._id, { code: error.code, message: error.message }, timings, new Date(), leaseToken);
      return failed ?? (await this.stored(doc._id));
    } finally {
      lease.release();
    }
  }

  private async stored(id: ObjectId): Promise<AnalysisDocument> {
    const doc = await this.repository.findById(id);
    if (!doc) throw notFound(id.toHexString());
    return doc;
  }
}
