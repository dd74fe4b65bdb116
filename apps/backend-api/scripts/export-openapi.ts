import { writeFileSync } from 'node:fs';
import { OPENAPI_PATH, renderOpenApi } from '../src/openapi/render-openapi';

// `nx run backend-api:openapi`: rewrites openapi.json (src/openapi/render-openapi.spec.ts fails when it is stale).
void renderOpenApi().then((document) => {
  writeFileSync(OPENAPI_PATH, document);
  console.log(`wrote ${OPENAPI_PATH}`);
});
