import { createHash, randomBytes } from 'node:crypto';

/** Prefixes make a leaked secret recognisable to secret scanners and say what it opens. */
export const API_TOKEN_PREFIX = 'pst_';
export const SESSION_PREFIX = 'pss_';

/** 256 random bits: too many to guess, so a fast hash (no salt, no stretching) is enough to store them. */
export function generateSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** What is stored and looked up: the database never holds a usable token. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The credential in `Authorization: Bearer <secret>`; undefined for any other scheme or a malformed header. */
export function readBearer(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/=-]{16,512})\s*$/i.exec(header ?? '');
  return match?.[1];
}
