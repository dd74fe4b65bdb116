import { COCO_KEYPOINT_NAMES, type Analysis } from '@posestack/api-contracts';
import { createApiClient } from './api-client';
import { ApiClientError } from './api-client-error';

interface RecordedRequest {
  url: string;
  method: string;
  body: unknown;
}

/** A fetch that answers from a queue and records what was asked: no mocking library, no network. */
function createFakeFetch(...answers: Array<Response | Error | DOMException>) {
  const requests: RecordedRequest[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ url: String(input), method: init?.method ?? 'GET', body: init?.body });
    const answer = answers.shift();
    if (!answer) throw new Error('fake fetch: no answer queued');
    // Not `instanceof Error`: Node's DOMException comes from another realm than jest's Error.
    if (!(answer instanceof Response)) throw answer;
    return answer;
  }) as typeof fetch;
  return { fetchImpl, requests };
}

function respondWithJson(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const doneImage: Analysis = {
  id: '0123456789abcdef01234567',
  kind: 'image',
  createdAt: '2026-11-27T04:00:00.000Z',
  updatedAt: '2026-11-27T04:00:01.000Z',
  status: 'done',
  media: { filename: 'astronaut.png', contentType: 'image/png', size: 1234, width: 512, height: 512, mediaUrl: '/api/analyses/0123456789abcdef01234567/media' },
  model: 'yolo11n-pose',
  timings: { poseServiceMs: 80 },
  attempts: 1,
  result: {
    people: [
      {
        score: 0.92,
        box: { x: 10, y: 20, width: 300, height: 480 },
        keypoints: COCO_KEYPOINT_NAMES.map((name, i) => ({ name, x: i, y: i, score: 0.8 })),
      },
    ],
  },
};

describe('createApiClient', () => {
  it('lists analyses with the page query and validates the page', async () => {
    const { fetchImpl, requests } = createFakeFetch(respondWithJson({ items: [doneImage], total: 1, page: 2, pageSize: 5 }));
    const client = createApiClient({ baseUrl: 'http://api.test', fetch: fetchImpl });
    const page = await client.listAnalyses({ page: 2, pageSize: 5 });
    expect(requests[0]).toMatchObject({ url: 'http://api.test/api/analyses?page=2&pageSize=5', method: 'GET' });
    const [first] = page.items;
    expect(first.kind === 'image' && first.result?.people[0].keypoints).toHaveLength(17);
  });

  it('lists the loaded models and checks their shape', async () => {
    const models = [{ name: 'lightning', kind: '2d', keypoints: [...COCO_KEYPOINT_NAMES] }];
    const { fetchImpl, requests } = createFakeFetch(respondWithJson({ models }), respondWithJson({ models: [{ name: 'x', kind: '4d', keypoints: [] }] }));
    const client = createApiClient({ baseUrl: '', fetch: fetchImpl });
    expect(await client.listModels()).toEqual(models);
    expect(requests[0]).toMatchObject({ url: '/api/models', method: 'GET' });
    await expect(client.listModels()).rejects.toMatchObject({ kind: 'invalid-response', message: expect.stringContaining('models[0].kind') });
  });

  it('accepts an empty list', async () => {
    const { fetchImpl } = createFakeFetch(respondWithJson({ items: [], total: 0, page: 1, pageSize: 20 }));
    const page = await createApiClient({ baseUrl: '', fetch: fetchImpl }).listAnalyses({});
    expect(page.items).toEqual([]);
  });

  it('uploads multipart with the model before the file field', async () => {
    const { fetchImpl, requests } = createFakeFetch(respondWithJson(doneImage, 201));
    const client = createApiClient({ baseUrl: '', fetch: fetchImpl });
    const file = new File([new Uint8Array([1, 2, 3])], 'astronaut.png', { type: 'image/png' });
    await client.createAnalysis(file, { model: 'yolo11n-pose' });
    const form = requests[0].body as FormData;
    expect(requests[0]).toMatchObject({ url: '/api/analyses', method: 'POST' });
    expect([...form.keys()]).toEqual(['model', 'file']);
    expect((form.get('file') as File).name).toBe('astronaut.png');
  });

  it('omits the model when none is chosen', async () => {
    const { fetchImpl, requests } = createFakeFetch(respondWithJson(doneImage, 201));
    await createApiClient({ baseUrl: '', fetch: fetchImpl }).createAnalysis(new Blob(['x']));
    expect([...(requests[0].body as FormData).keys()]).toEqual(['file']);
  });

  it('turns the API error body into code, status and message', async () => {
    const { fetchImpl } = createFakeFetch(
      respondWithJson({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'text/plain is not an image or video' } }, 415),
    );
    const error = await createApiClient({ baseUrl: '', fetch: fetchImpl })
      .createAnalysis(new Blob(['x']))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiClientError);
    expect(error).toMatchObject({
      kind: 'http',
      details: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', serverMessage: 'text/plain is not an image or video' },
    });
  });

  it('keeps the status when the error body is not JSON (a proxy error page)', async () => {
    const { fetchImpl } = createFakeFetch(new Response('<html>Bad gateway</html>', { status: 502 }));
    const error = await createApiClient({ baseUrl: '', fetch: fetchImpl }).getAnalysis('x').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'http', details: { status: 502 } });
  });

  it('reports a network failure with the request it was making', async () => {
    const { fetchImpl } = createFakeFetch(new TypeError('Failed to fetch'));
    const error = await createApiClient({ baseUrl: '', fetch: fetchImpl }).deleteAnalysis('abc').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'network', message: 'DELETE /api/analyses/abc failed: no answer from the server' });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });

  it('rejects a 2xx body that breaks the contract, naming the path', async () => {
    const { fetchImpl } = createFakeFetch(respondWithJson({ ...doneImage, status: 'exploded' }));
    const error = await createApiClient({ baseUrl: '', fetch: fetchImpl }).getAnalysis(doneImage.id).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid-response' });
    expect((error as Error).message).toContain('status');
  });

  it('lets an abort through untouched so callers can ignore it', async () => {
    const { fetchImpl } = createFakeFetch(new DOMException('aborted', 'AbortError'));
    await expect(createApiClient({ baseUrl: '', fetch: fetchImpl }).getAnalysis('x')).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('retries and deletes by id, escaping it', async () => {
    const { fetchImpl, requests } = createFakeFetch(respondWithJson(doneImage), new Response(null, { status: 204 }));
    const client = createApiClient({ baseUrl: '', fetch: fetchImpl });
    await client.retryAnalysis(doneImage.id);
    await client.deleteAnalysis('a/b');
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST /api/analyses/${doneImage.id}/retry`,
      'DELETE /api/analyses/a%2Fb',
    ]);
    expect(client.mediaUrl(doneImage.id)).toBe(`/api/analyses/${doneImage.id}/media`);
  });
});
