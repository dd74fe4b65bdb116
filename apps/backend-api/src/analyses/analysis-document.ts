import type { ObjectId } from 'mongodb';
import type {
  Analysis,
  AnalysisSummary,
  AnalysisError,
  AnalysisKind,
  AnalysisStatus,
  ImageResult,
  Media,
  Timings,
  VideoResult,
} from '@posestack/api-contracts';

/** Stored media: the contract's fields plus the GridFS file that holds the bytes. */
export type StoredMedia = Omit<Media, 'mediaUrl'> & { fileId: ObjectId };

/**
 * One analysis as stored in the `analyses` collection. The job fields (lease*, claims, queuedAt) are internal:
 * they never leave the API.
 */
export interface AnalysisDocument {
  _id: ObjectId;
  kind: AnalysisKind;
  status: AnalysisStatus;
  createdAt: Date;
  updatedAt: Date;
  media: StoredMedia;
  model: string | null;
  /** The model the upload asked for (internal: `model` says which one answered); pose-service's default when absent. */
  requestedModel?: string;
  /**
   * Null in the stored document (older documents may hold it inline); the repository fills it in from the
   * `analysis_results` document named by `resultId` when it reads one analysis.
   */
  result: ImageResult | VideoResult | null;
  resultId?: string;
  timings: Timings;
  error?: AnalysisError;
  attempts: number;
  /**
   * The lease of a running analysis: the holder's token (instance and claim, unique per claim, so a result from
   * an earlier claim is never taken for the current one), and until when. Expired means the holder is gone.
   */
  leaseOwner?: string;
  leaseUntil?: Date;
  /** Lease claims since the last manual retry; bounded by JOB_MAX_CLAIMS. */
  claims: number;
  /** Transient pose-service failures since the last manual retry; bounded by JOB_RETRY_LIMIT. */
  poseFailures?: number;
  /** A video requeued after a transient failure waits until then (backoff). */
  notBefore?: Date;
  /** What the list shows instead of the result (written with it). */
  summary?: AnalysisSummary;
  /** When the job (re)entered pending; the start of timings.queuedMs. */
  queuedAt?: Date;
}

/** The list's stand-in for the result: how many people (the most in any one frame for videos). */
export function summarise(result: ImageResult | VideoResult): AnalysisSummary {
  const peopleCount = 'people' in result ? result.people.length : result.frames.reduce((most, frame) => Math.max(most, frame.people.length), 0);
  return { peopleCount };
}

export const mediaUrlOf = (id: ObjectId | string) => `/api/analyses/${id.toString()}/media`;

/** Stored document -> the public contract shape (ISO dates, string id, media URL, no job internals). */
export function toAnalysis(doc: AnalysisDocument): Analysis {
  // fileId is storage detail: clients fetch the bytes through mediaUrl.
  const media: Omit<StoredMedia, 'fileId'> & { fileId?: ObjectId } = { ...doc.media };
  delete media.fileId;
  const common = {
    id: doc._id.toHexString(),
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    status: doc.status,
    media: { ...media, mediaUrl: mediaUrlOf(doc._id) },
    model: doc.model,
    timings: doc.timings,
    attempts: doc.attempts,
    ...(doc.error ? { error: doc.error } : {}),
    ...(doc.summary ? { summary: doc.summary } : {}),
  };
  // `result` is absent from a summary projection (the list): null there, as the contract says.
  const result = doc.result ?? null;
  return doc.kind === 'image'
    ? { ...common, kind: 'image', result: result as ImageResult | null }
    : { ...common, kind: 'video', result: result as VideoResult | null };
}
