import fp from 'fastify-plugin';
import type { Principal, Role } from '@posestack/api-contracts';
import { CredentialsRepository } from '../../auth/credentials-repository';
import { hasRole, requiredRoleFor } from '../../auth/roles';
import { readBearer } from '../../auth/secrets';
import { ApiError } from '../../errors/api-error';

declare module 'fastify' {
  interface FastifyInstance {
    credentials: CredentialsRepository;
  }
  interface FastifyRequest {
    /** Who is asking; set before any handler runs (undefined only on public routes). */
    principal: Principal | undefined;
    /** The bearer secret as sent, for routes that act on the caller's own session. */
    bearer: string | undefined;
  }
  interface FastifyContextConfig {
    /** `public`: no credentials needed (the login route); a role: that role instead of the method's default. */
    auth?: 'public' | Role;
  }
}

const INDEX_RETRY_MS = 5000;

/**
 * Every request is authenticated here, before routing reaches a handler, including unknown paths (401 before
 * 404, so the route list cannot be probed anonymously). Credentials: `Authorization: Bearer <secret>`, an API
 * token (scripts, CI) or a login session (the frontend server turns its cookie into this header). Reads need
 * `viewer`, state changes `editor`.
 */
export default fp(
  async (app) => {
    const repository = new CredentialsRepository(app.mongo.db);
    app.decorate('credentials', repository);
    app.decorateRequest('principal', undefined);
    app.decorateRequest('bearer', undefined);
    const anonymousRole = app.config.AUTH_ANONYMOUS_ROLE;

    app.addHook('onRequest', async (request, reply) => {
      const routeAuth = request.routeOptions.config.auth;
      if (routeAuth === 'public') return;
      const secret = readBearer(request.headers.authorization);
      let principal: Principal | undefined;
      if (secret) {
        principal = await repository.authenticate(secret);
      } else if (anonymousRole !== 'none') {
        principal = { kind: 'anonymous', name: 'anonymous', role: anonymousRole };
      }
      if (!principal) {
        reply.header('www-authenticate', 'Bearer realm="posestack"');
        const why = secret ? 'the token is unknown, revoked or expired' : 'send Authorization: Bearer <API token>, or sign in on the page';
        throw new ApiError(401, 'UNAUTHENTICATED', `authentication required: ${why}`);
      }
      const needed = requiredRoleFor(request.method, routeAuth);
      if (!hasRole(principal.role, needed)) {
        throw new ApiError(403, 'FORBIDDEN', `${request.method} ${request.routeOptions.url ?? request.url} needs the ${needed} role; ${principal.name} is a ${principal.role}`);
      }
      request.principal = principal;
      request.bearer = secret;
    });

    let retryTimer: NodeJS.Timeout | undefined;
    const ensureIndexes = async (): Promise<void> => {
      try {
        await repository.ensureIndexes();
      } catch (error) {
        app.log.warn({ err: error }, `could not create the credential indexes; retrying in ${INDEX_RETRY_MS} ms`);
        retryTimer = setTimeout(() => void ensureIndexes(), INDEX_RETRY_MS);
      }
    };
    app.addHook('onReady', ensureIndexes);
    app.addHook('onClose', async () => clearTimeout(retryTimer));
  },
  { name: 'auth', dependencies: ['mongo', 'config'] },
);
