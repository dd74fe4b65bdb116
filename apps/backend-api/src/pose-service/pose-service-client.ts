import type { ImageResult, PoseModel, VideoResult } from '@posestack/api-contracts';
import type { z } from 'zod';
import {
  RawErrorSchema,
  RawHealthSchema,
  RawImagePoseSchema,
  RawModelListSchema,
  RawVideoPoseSchema,
  toImageOutcome,
  toModelsFromHealthNames,
  toVideoOutcome,
  type PoseOutcome,
} from './adapter';

export type PoseFailureKind = 'unreachable' | 'timeout' | 'busy' | 'rejected-input' | 'server-error' | 'bad-response' | 'aborted';

/** Failures that may pass by themselves (a restart, a queue that drains), so a background job retries them. */
const TRANSIENT_KINDS: ReadonlySet<PoseFailureKind> = new Set(['unreachable', 'timeout', 'busy', 'server-error']);

/**
 * Why a pose call failed. `rejected-input` (pose-service answered 4xx: corrupt or oversized media) will fail the
 * same way on retry; `busy` (503: its queue is full) comes with the seconds it asked the caller to wait.
 */
export class PoseServiceError extends Error {
  override readonly name = 'PoseServiceError';
  readonly retryAfterS: number | undefined;

  constructor(
    readonly kind: PoseFailureKind,
    /** Stable code stored on the failed analysis (pose-service's own code when it sent one). */
    readonly code: string,
    message: string,
    options?: { cause?: unknown; retryAfterS?: number },
  ) {
    super(message, options);
    this.retryAfterS = options?.retryAfterS;
  }

  get isTransient(): boolean {
    return TRANSIENT_KINDS.has(this.kind);
  }
}

function unreachable(url: string, error: unknown): PoseServiceError {
  const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
  return new PoseServiceError('unreachable', 'POSE_SERVICE_UNREACHABLE', `pose-service at ${url} is unreachable (${reason})`, { cause: error });
}

export interface PoseUpload {
  data: Buffer;
  filename: string;
  contentType: string;
  /** pose-service's `model` query parameter; its POSE_DEFAULT_MODEL when absent. */
  model?: string;
}

export interface PoseServiceHealth {
  status: 'up' | 'down';
  device: string | null;
}

export interface PoseServiceClientOptions {
  baseUrl: string;
  /** pose-service refuses every call without it (401). */
  token: string;
  imageTimeoutMs: number;
  videoTimeoutMs: number;
  healthTimeoutMs: number;
}

/** HTTP client of pose-service: multipart upload out, contract-shaped outcome (through the adapter) back. */
export class PoseServiceClient {
  constructor(private readonly options: PoseServiceClientOptions) {}

  async analyzeImage(upload: PoseUpload, signal?: AbortSignal): Promise<PoseOutcome<ImageResult>> {
    const raw = await this.postMedia('/v1/pose', upload, RawImagePoseSchema, this.options.imageTimeoutMs, signal);
    return toImageOutcome(raw);
  }

  async analyzeVideo(upload: PoseUpload, signal?: AbortSignal): Promise<PoseOutcome<VideoResult>> {
    const raw = await this.postMedia('/v1/pose/video', upload, RawVideoPoseSchema, this.options.videoTimeoutMs, signal);
    return toVideoOutcome(raw);
  }

  /** Never throws: health reports "down" with the device unknown. */
  async health(): Promise<PoseServiceHealth> {
    try {
      const response = await fetch(this.url('/health'), { headers: this.authorization(), signal: AbortSignal.timeout(this.options.healthTimeoutMs) });
      const parsed = RawHealthSchema.safeParse(await response.json());
      if (!response.ok || !parsed.success) return { status: 'down', device: null };
      return { status: parsed.data.status === 'ok' ? 'up' : 'down', device: parsed.data.device };
    } catch {
      return { status: 'down', device: null };
    }
  }

  /** The loaded models: GET /v1/models, or /health's names from a pose-service that has no models route. */
  async listModels(): Promise<PoseModel[]> {
    const models = await this.getJson('/v1/models', RawModelListSchema);
    if (models !== 'not-found') return models;
    const health = await this.getJson('/health', RawHealthSchema);
    if (health === 'not-found' || !health.models) {
      throw new PoseServiceError('bad-response', 'POSE_SERVICE_BAD_RESPONSE', 'pose-service lists its models neither at /v1/models nor in /health');
    }
    return toModelsFromHealthNames(health.models);
  }

  private async getJson<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S> | 'not-found'> {
    const url = this.url(path);
    let response: Response;
    try {
      response = await fetch(url, { headers: this.authorization(), signal: AbortSignal.timeout(this.options.healthTimeoutMs) });
    } catch (error) {
      throw unreachable(url, error);
    }
    if (response.status === 404) return 'not-found';
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!response.ok || !parsed.success) {
      throw new PoseServiceError('bad-response', 'POSE_SERVICE_BAD_RESPONSE', `pose-service answered ${url} with HTTP ${response.status} and an unexpected body`, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  private authorization(): Record<string, string> {
    return { authorization: `Bearer ${this.options.token}` };
  }

  private url(path: string): string {
    return new URL(path, this.options.baseUrl).toString();
  }

  private async postMedia<S extends z.ZodType>(
    path: string,
    upload: PoseUpload,
    schema: S,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<z.output<S>> {
    const url = this.url(upload.model ? `${path}?model=${encodeURIComponent(upload.model)}` : path);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(upload.data)], { type: upload.contentType }), upload.filename);
    const timeout = AbortSignal.timeout(timeoutMs);

    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', body: form, headers: this.authorization(), signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (error) {
      if (timeout.aborted) {
        throw new PoseServiceError('timeout', 'POSE_SERVICE_TIMEOUT', `pose-service did not answer ${url} within ${timeoutMs} ms`, { cause: error });
      }
      if (signal?.aborted) {
        const reason = signal.reason instanceof Error ? signal.reason.message : 'shutdown';
        throw new PoseServiceError('aborted', 'ABORTED', `request to ${url} was aborted (${reason})`, { cause: signal.reason ?? error });
      }
      throw unreachable(url, error);
    }

    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const detail = RawErrorSchema.safeParse(body);
      const message = detail.success ? detail.data.detail : `HTTP ${response.status}`;
      if (response.status === 503) {
        const retryAfterS = Number(response.headers.get('retry-after')) || undefined;
        throw new PoseServiceError('busy', 'POSE_SERVICE_BUSY', `pose-service is busy: ${message}`, { retryAfterS });
      }
      if (response.status >= 400 && response.status < 500) {
        throw new PoseServiceError('rejected-input', detail.success ? detail.data.code : 'rejected', `pose-service rejected the media: ${message}`);
      }
      throw new PoseServiceError('server-error', 'POSE_SERVICE_ERROR', `pose-service failed with ${response.status}: ${message}`);
    }

    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new PoseServiceError('bad-response', 'POSE_SERVICE_BAD_RESPONSE', `pose-service answered ${url} with an unexpected shape`, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }
}
