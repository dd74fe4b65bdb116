import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'posestack_session';

/** The session secret lives only in this HttpOnly cookie: page scripts (and so an XSS) never see it. */
export function sessionCookieOptions(isSecure: boolean, expiresAt?: Date) {
  return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: isSecure, ...(expiresAt ? { expires: expiresAt } : {}) };
}

export interface AuthRoutesOptions {
  readonly backendUrl: string;
  readonly isSecure: (request: FastifyRequest) => boolean;
  readonly timeoutMs: number;
}

/** backend-api's answer, relayed as is (status and JSON body), except the session secret. */
async function relay(reply: FastifyReply, response: Response): Promise<FastifyReply> {
  const text = await response.text();
  return reply.code(response.status).header('content-type', response.headers.get('content-type') ?? 'application/json').send(text || undefined);
}

/**
 * /auth/login and /auth/logout: the page posts the user's name and password here; backend-api checks them and
 * makes a session; its secret goes into the cookie, and the /api proxy turns the cookie back into a bearer
 * token. People are created with backend-api's CLI.
 */
export async function registerAuthRoutes(app: FastifyInstance, options: AuthRoutesOptions): Promise<void> {
  const { backendUrl, isSecure, timeoutMs } = options;

  app.post('/auth/login', async (request, reply) => {
    const response = await fetch(`${backendUrl}/api/auth/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request.body ?? {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status !== 201) return relay(reply, response);
    const session = (await response.json()) as { token: string; expiresAt: string; principal: unknown };
    reply.setCookie(SESSION_COOKIE, session.token, sessionCookieOptions(isSecure(request), new Date(session.expiresAt)));
    return reply.code(200).send({ principal: session.principal });
  });

  app.post('/auth/logout', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      // Best effort: the cookie is cleared either way, and an unreachable backend must not keep anyone signed in here.
      await fetch(`${backendUrl}/api/auth/sessions/current`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(timeoutMs),
      }).catch((error: unknown) => request.log.warn({ err: error }, 'frontend server: could not end the session at backend-api'));
    }
    reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(isSecure(request)));
    return reply.code(204).send();
  });
}
