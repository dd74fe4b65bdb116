import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { itIsGeneratedFromZod } from '../../../tests/support/schema-json';
import { toDockerBuildJsonSchema } from '../../core/options/build-options.schema';

const schemaPath = join(__dirname, 'schema.json');

describe('schema.json', () => {
  itIsGeneratedFromZod(schemaPath, toDockerBuildJsonSchema);

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
