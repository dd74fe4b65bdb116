import type { ObjectId } from 'mongodb';
import type {
  Analysis,
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
  result: ImageResult | VideoResult | null;
  timings: Timings;
  error?: AnalysisError;
  attempts: number;
  /** Worker that holds a running job, and until when; an expired lease means that worker is gone. */
  leaseOwner?: string;
  leaseUntil?: Date;
  /** Lease claims since the last manual retry; bounded by JOB_MAX_CLAIMS. */
  claims: number;
  /** When the job (re)entered pending; the start of timings.queuedMs. */
  queuedAt?: Date;
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
  };
  return doc.kind === 'image'
    ? { ...common, kind: 'image', result: doc.result as ImageResult | null }
    : { ...common, kind: 'video', result: doc.result as VideoResult | null };
}
