import { z } from 'zod';

/** viewer reads; editor also uploads, retries and deletes. Ordered: each role includes the ones before it. */
export const ROLES = ['viewer', 'editor'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** POST /api/auth/sessions: a person signs in (the frontend server does this and keeps the token in a cookie). */
export const LoginRequestSchema = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(1024),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const PrincipalSchema = z.object({
  kind: z.enum(['token', 'session', 'anonymous']),
  /** The API token's name or the user's name; `anonymous` when the deployment allows anonymous access. */
  name: z.string(),
  role: RoleSchema,
});
export type Principal = z.infer<typeof PrincipalSchema>;

export const SessionCreatedSchema = z.object({
  /** The session secret: shown once, to the frontend server, which puts it in an HttpOnly cookie. */
  token: z.string(),
  expiresAt: z.iso.datetime(),
  principal: PrincipalSchema,
});
export type SessionCreated = z.infer<typeof SessionCreatedSchema>;

/** What the page shows about who is signed in (GET /api/auth/me, and the frontend server's /auth/login). */
export const MeResponseSchema = z.object({ principal: PrincipalSchema });
export type MeResponse = z.infer<typeof MeResponseSchema>;
