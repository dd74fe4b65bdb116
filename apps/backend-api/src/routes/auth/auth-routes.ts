import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiErrorSchema, LoginRequestSchema, MeResponseSchema, SessionCreatedSchema } from '@posestack/api-contracts';
import { UNKNOWN_USER_HASH, verifyPassword } from '../../auth/passwords';
import { ApiError } from '../../errors/api-error';

const errors = { 400: ApiErrorSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 429: ApiErrorSchema, 503: ApiErrorSchema };

/** Sign-in for people (users made with the CLI); API tokens need no route, they are made with the CLI too. */
const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const ttlMs = app.config.SESSION_TTL_MINUTES * 60_000;

  app.post(
    '/api/auth/sessions',
    { config: { auth: 'public' }, schema: { body: LoginRequestSchema, response: { 201: SessionCreatedSchema, ...errors } } },
    async (request, reply) => {
      const { username, password } = request.body;
      const user = await app.credentials.findUser(username);
      // The hash is checked even for an unknown name, so timing does not tell which names exist.
      const isValid = await verifyPassword(password, user?.passwordHash ?? UNKNOWN_USER_HASH);
      if (!user || !isValid) {
        request.log.info({ username }, 'sign-in refused');
        throw new ApiError(401, 'UNAUTHENTICATED', 'unknown user name or wrong password');
      }
      const { token, expiresAt } = await app.credentials.createSession(user, ttlMs);
      request.log.info({ username, role: user.role }, 'signed in');
      return reply.code(201).send({ token, expiresAt: expiresAt.toISOString(), principal: { kind: 'session', name: user.username, role: user.role } });
    },
  );

  app.get('/api/auth/me', { schema: { response: { 200: MeResponseSchema, ...errors } } }, async (request) => {
    if (!request.principal) throw new ApiError(401, 'UNAUTHENTICATED', 'authentication required');
    return { principal: request.principal };
  });

  // Signing out is for viewers too: it ends the caller's own session and touches nothing else.
  app.delete(
    '/api/auth/sessions/current',
    { config: { auth: 'viewer' }, schema: { response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      if (request.principal?.kind !== 'session' || !request.bearer) {
        throw new ApiError(400, 'BAD_REQUEST', 'only a sign-in session can be ended here; API tokens are revoked with the CLI');
      }
      await app.credentials.deleteSession(request.bearer);
      return reply.code(204).send(null);
    },
  );
};

export default authRoutes;
