import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toReleasePublishJsonSchema } from './schema.zod';

const schemaPath = join(__dirname, 'schema.json');

describe('release-publish schema.json', () => {
  it('is generated from the zod schema (UPDATE_SCHEMA=1 rewrites it)', () => {
    const generated = `${JSON.stringify(toReleasePublishJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(schemaPath, generated);
    expect(readFileSync(schemaPath, 'utf8')).toBe(generated);
  });
});
