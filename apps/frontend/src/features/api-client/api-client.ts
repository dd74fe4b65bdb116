import {
  AnalysisPageSchema,
  AnalysisSchema,
  ApiErrorSchema,
  MODEL_FIELD,
  PoseModelListSchema,
  UPLOAD_FIELD,
  type Analysis,
  type AnalysisPage,
  type ListAnalysesQuery,
  type PoseModel,
} from '@posestack/api-contracts';
import { z } from 'zod';
import { ApiClientError, isAbortError } from './api-client-error';

export interface ApiClientOptions {
  /** Origin + prefix the paths are appended to; '' in the browser, where the page's own server proxies /api. */
  readonly baseUrl: string;
  readonly fetch: typeof globalThis.fetch;
}

export interface UploadOptions {
  /** Pose model name; the backend's default is used when absent. */
  readonly model?: string;
  readonly signal?: AbortSignal;
}

export interface ApiClient {
  listAnalyses(query: ListAnalysesQuery, signal?: AbortSignal): Promise<AnalysisPage>;
  getAnalysis(id: string, signal?: AbortSignal): Promise<Analysis>;
  createAnalysis(file: Blob & { readonly name?: string }, options?: UploadOptions): Promise<Analysis>;
  deleteAnalysis(id: string): Promise<void>;
  retryAnalysis(id: string): Promise<Analysis>;
  mediaUrl(id: string): string;
  listModels(signal?: AbortSignal): Promise<PoseModel[]>;
}

function buildQueryString(query: ListAnalysesQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function readErrorBody(response: Response): Promise<z.infer<typeof ApiErrorSchema>['error'] | undefined> {
  try {
    const parsed = ApiErrorSchema.safeParse(await response.json());
    return parsed.success ? parsed.data.error : undefined;
  } catch {
    // A proxy's HTML error page or an empty body: the status alone has to do.
    return undefined;
  }
}

/** Thin fetch wrapper: every answer is checked against the shared contract before the UI sees it. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const { baseUrl, fetch: fetchImpl } = options;

  async function send(method: string, path: string, init: RequestInit = {}): Promise<Response> {
    const what = `${method} ${path}`;
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, { ...init, method, headers: { accept: 'application/json' } });
    } catch (cause) {
      if (isAbortError(cause)) throw cause;
      throw new ApiClientError(`${what} failed: no answer from the server`, 'network', {}, { cause });
    }
    if (!response.ok) {
      const body = await readErrorBody(response);
      throw new ApiClientError(
        `${what} failed with HTTP ${response.status}${body ? `: ${body.message}` : ''}`,
        'http',
        { status: response.status, code: body?.code, serverMessage: body?.message },
      );
    }
    return response;
  }

  async function parseBody<T>(response: Response, schema: z.ZodType<T>, what: string): Promise<T> {
    let body: unknown;
    try {
      body = await response.json();
    } catch (cause) {
      throw new ApiClientError(`${what} returned a body that is not JSON`, 'invalid-response', {}, { cause });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ApiClientError(
        `${what} returned an unexpected shape:\n${z.prettifyError(parsed.error)}`,
        'invalid-response',
        {},
        { cause: parsed.error },
      );
    }
    return parsed.data;
  }

  const analysisPath = (id: string) => `/api/analyses/${encodeURIComponent(id)}`;

  return {
    async listAnalyses(query, signal) {
      const path = `/api/analyses${buildQueryString(query)}`;
      return parseBody(await send('GET', path, { signal }), AnalysisPageSchema, `GET ${path}`);
    },
    async getAnalysis(id, signal) {
      const path = analysisPath(id);
      return parseBody(await send('GET', path, { signal }), AnalysisSchema, `GET ${path}`);
    },
    async createAnalysis(file, uploadOptions = {}) {
      const form = new FormData();
      // Fields before the file: the server reads the multipart stream in order and meets the model first.
      if (uploadOptions.model) form.append(MODEL_FIELD, uploadOptions.model);
      form.append(UPLOAD_FIELD, file, file.name ?? 'upload');
      const response = await send('POST', '/api/analyses', { body: form, signal: uploadOptions.signal });
      return parseBody(response, AnalysisSchema, 'POST /api/analyses');
    },
    async deleteAnalysis(id) {
      await send('DELETE', analysisPath(id));
    },
    async retryAnalysis(id) {
      const path = `${analysisPath(id)}/retry`;
      return parseBody(await send('POST', path), AnalysisSchema, `POST ${path}`);
    },
    mediaUrl(id) {
      return `${baseUrl}${analysisPath(id)}/media`;
    },
    async listModels(signal) {
      const response = await send('GET', '/api/models', { signal });
      return (await parseBody(response, PoseModelListSchema, 'GET /api/models')).models;
    },
  };
}
