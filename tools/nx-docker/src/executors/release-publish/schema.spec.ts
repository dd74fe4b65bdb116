import { join } from 'node:path';
import { itIsGeneratedFromZod } from '../../../tests/support/schema-json';
import { toReleasePublishJsonSchema } from './schema.zod';

describe('release-publish schema.json', () => {
  itIsGeneratedFromZod(join(__dirname, 'schema.json'), toReleasePublishJsonSchema);
});
