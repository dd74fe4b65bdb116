import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toExecutorJsonSchema } from '../../core/options/build-options.schema';

const schemaPath = join(__dirname, 'schema.json');

describe('schema.json', () => {
  it('is generated from the zod schema (UPDATE_SCHEMA=1 rewrites it)', () => {
    const generated = `${JSON.stringify(toExecutorJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(schemaPath, generated);
    expect(readFileSync(schemaPath, 'utf8')).toBe(generated);
  });

  it('is strict and documented: no extra properties, every property described', () => {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as {
      additionalProperties: boolean;
      properties: Record<string, { description?: string }>;
    };
    expect(schema.additionalProperties).toBe(false);
    const undocumented = Object.entries(schema.properties).filter(([, value]) => !value.description);
    expect(undocumented).toEqual([]);
  });
});
