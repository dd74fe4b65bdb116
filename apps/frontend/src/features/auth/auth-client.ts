import { MeResponseSchema, type LoginRequest, type Principal } from '@posestack/api-contracts';

/** The session is the page server's HttpOnly cookie: these calls never see its secret, only who it is. */
export async function fetchPrincipal(fetchImpl: typeof fetch): Promise<Principal | undefined> {
  const response = await fetchImpl('/api/auth/me', { headers: { accept: 'application/json' } });
  if (response.status === 401) return undefined;
  if (!response.ok) throw new Error(`checking the sign-in failed with HTTP ${response.status}`);
  return MeResponseSchema.parse(await response.json()).principal;
}

export async function signIn(fetchImpl: typeof fetch, credentials: LoginRequest): Promise<Principal> {
  const response = await fetchImpl('/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (response.status === 401) throw new Error('Unknown user name or wrong password.');
  if (response.status === 429) throw new Error('Too many attempts; wait a minute and try again.');
  if (!response.ok) throw new Error(`Signing in failed (HTTP ${response.status}); try again shortly.`);
  return MeResponseSchema.parse(await response.json()).principal;
}

export async function signOut(fetchImpl: typeof fetch): Promise<void> {
  await fetchImpl('/auth/logout', { method: 'POST' });
}
