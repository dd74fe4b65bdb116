import fp from 'fastify-plugin';
import type { Env } from '../../config/env';

declare module 'fastify' {
  interface FastifyInstance {
    config: Env;
  }
}

/** The validated environment, parsed once in main.ts (or given by a test), available as app.config. */
export default fp<{ env: Env }>(
  async (app, { env }) => {
    app.decorate('config', env);
  },
  { name: 'config' },
);
