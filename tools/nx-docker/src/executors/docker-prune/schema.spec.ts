import { join } from 'node:path';
import { itIsGeneratedFromZod } from '../../../tests/support/schema-json';
import { z } from 'zod';
import { dockerPruneOptionsSchema, toDockerPruneJsonSchema } from './schema.zod';

const schemaPath = join(__dirname, 'schema.json');

describe('docker-prune schema.json', () => {
  itIsGeneratedFromZod(schemaPath, toDockerPruneJsonSchema);

  it('refuses a registry that is not host[/path], naming the option', () => {
    const result = dockerPruneOptionsSchema.safeParse({ registry: 'ftp://x y' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(['registry']);
    expect(z.prettifyError(result.error as z.ZodError)).toMatch(/host\[:port\]\[\/path\]/);
    expect(dockerPruneOptionsSchema.parse({ registry: 'http://127.0.0.1:5000/cache' }).registry).toBe('http://127.0.0.1:5000/cache');
  });
});
