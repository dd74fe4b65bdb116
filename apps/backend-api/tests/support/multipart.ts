import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { auth } from './app';

const fixturesDir = join(__dirname, '../fixtures');
export const fixture = (name: string) => readFileSync(join(fixturesDir, name));

/** multipart/form-data with one file part, built by hand so tests control every byte and header. */
export function multipartBody(data: Buffer, filename: string, contentType: string, field = 'file') {
  const boundary = `----posestack${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export function upload(app: FastifyInstance, data: Buffer, filename: string, contentType: string, field?: string): Promise<LightMyRequestResponse> {
  const body = multipartBody(data, filename, contentType, field);
  return app.inject({ method: 'POST', url: '/api/analyses', payload: body.payload, headers: { ...body.headers, ...auth(app) } });
}

/** Polls GET /api/analyses/:id until `isDone` says so (videos are processed in the background). */
export async function waitFor<T>(read: () => Promise<T>, isDone: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (isDone(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** multipart/form-data from the platform's FormData (text fields first, then the file), as browsers send it. */
export async function uploadForm(
  app: FastifyInstance,
  fields: Record<string, string>,
  file: { data: Buffer; filename: string; contentType: string },
): Promise<LightMyRequestResponse> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(file.data)], { type: file.contentType }), file.filename);
  const encoded = new Request('http://127.0.0.1/', { method: 'POST', body: form });
  return app.inject({
    method: 'POST',
    url: '/api/analyses',
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { 'content-type': encoded.headers.get('content-type') ?? '', ...auth(app) },
  });
}
