import { readFileSync } from 'node:fs';
import { OPENAPI_PATH, renderOpenApi } from './render-openapi';

describe('openapi.json', () => {
  it('is the document the app builds from its zod schemas (run `nx run backend-api:openapi` after a change)', async () => {
    const document = await renderOpenApi();
    expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(document);
    const parsed = JSON.parse(document) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    expect(Object.keys(parsed.paths)).toEqual(expect.arrayContaining(['/api/analyses', '/api/analyses/{id}/media', '/api/auth/sessions', '/health']));
    // Only the probe and the sign-in are public.
    const publicOperations = Object.entries(parsed.paths).flatMap(([path, operations]) =>
      Object.entries(operations).filter(([, operation]) => operation.security?.length === 0).map(([method]) => `${method} ${path}`),
    );
    expect(publicOperations.sort()).toEqual(['get /health', 'post /api/auth/sessions']);
  });
});
