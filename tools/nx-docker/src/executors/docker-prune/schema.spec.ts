import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { dockerPruneOptionsSchema, toExecutorJsonSchema } from './schema.zod';

const schemaPath = join(__dirname, 'schema.json');

describe('docker-prune schema.json', () => {
  it('is generated from the zod schema (UPDATE_SCHEMA=1 rewrites it)', () => {
    const generated = `${JSON.stringify(toExecutorJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(schemaPath, generated);
    expect(readFileSync(schemaPath, 'utf8')).toBe(generated);
  });

  it('refuses a registry that is not host[/path], naming the option', () => {
    const result = dockerPruneOptionsSchema.safeParse({ registry: 'ftp://x y' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(['registry']);
    expect(z.prettifyError(result.error as z.ZodError)).toMatch(/host\[:port\]\[\/path\]/);
    expect(dockerPruneOptionsSchema.parse({ registry: 'http://127.0.0.1:5000/cache' }).registry).toBe('http://127.0.0.1:5000/cache');
  });
});
