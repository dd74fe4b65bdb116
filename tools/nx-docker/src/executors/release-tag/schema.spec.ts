import { join } from 'node:path';
import { itIsGeneratedFromZod } from '../../../tests/support/schema-json';
import { toReleaseTagJsonSchema } from './schema.zod';

describe('release-tag schema.json', () => {
  itIsGeneratedFromZod(join(__dirname, 'schema.json'), toReleaseTagJsonSchema);
});
