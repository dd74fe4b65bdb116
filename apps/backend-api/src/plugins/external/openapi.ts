import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import { openApiTransform } from '../../openapi/openapi-transform';

/**
 * Collects every route's schema into an OpenAPI 3 document (`app.swagger()`), written to openapi.json by
 * `nx run backend-api:openapi`; a spec fails when the committed file drifts. Not served: the document is for
 * clients and fuzzers at build time, and an extra route would be one more thing to protect.
 */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'backend-api', version: '0.1.0', description: 'posestack: pose analyses of photos and videos' },
        components: {
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer', description: 'an API token (CLI: tokens create) or a sign-in session' },
          },
        },
        security: [{ bearer: [] }],
      },
      transform: openApiTransform,
    });
  },
  { name: 'openapi' },
);
