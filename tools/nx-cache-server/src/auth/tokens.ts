import { createHash, timingSafeEqual } from 'node:crypto';

export type Access = 'read' | 'read-write';

export interface TokenSets {
  readonly readWrite: readonly string[];
  readonly read: readonly string[];
}

/** Equal-length digests, so the comparison takes the same time whatever the token and however long. */
const digest = (value: string) => createHash('sha256').update(value).digest();

/** The access a bearer token grants, or undefined for an unknown token. */
export function accessOf(token: string, tokens: TokenSets): Access | undefined {
  const candidate = digest(token);
  const matches = (known: readonly string[]) => known.some((entry) => timingSafeEqual(digest(entry), candidate));
  if (matches(tokens.readWrite)) return 'read-write';
  if (matches(tokens.read)) return 'read';
  return undefined;
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
