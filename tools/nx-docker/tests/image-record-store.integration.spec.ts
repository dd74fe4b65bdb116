import { findFreePort, startNxCacheServer, type NxCacheServer } from '@posestack/test-stack';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveNxRemoteCache } from '../src/core/registry/nx-remote-cache';
import { lookUpRecord, recordPush, type RecordStore } from '../src/executors/docker-build/lib/image-record-store';
import type { RegistryTarget } from '../src/executors/docker-build/lib/plan-build';

/**
 * Digest records against the real Nx remote cache server (tools/nx-cache-server, as a process): written once
 * with a read-write token, never replaced (409), refused to a read-only token (403), read back by anyone who
 * may read; a server that is down or a token it does not know costs a warning, never an error.
 */

const rw = 'rw-token-image-record-test';
const ro = 'ro-token-image-record-test';
const digest = `sha256:${'1'.repeat(64)}`;
const other = `sha256:${'2'.repeat(64)}`;

let dir: string;
let server: NxCacheServer;
let logs: string[];

const target = (contentKey: string): RegistryTarget => ({
  ref: `127.0.0.1:5000/cache/app:nx-${contentKey.slice(0, 16)}`,
  repository: '127.0.0.1:5000/cache/app',
  contentKey,
  platforms: ['linux/amd64'],
  registry: '127.0.0.1:5000/cache',
  isInsecure: true,
});
const key = (n: number) => n.toString(16).padStart(64, '0');

/** A store whose once-per-command warnings are collected, the way the executor gives them. */
function storeWith(token: string | undefined, url = server.url): RecordStore & { warned: string[] } {
  const warned: string[] = [];
  return {
    cache: resolveNxRemoteCache({ NX_SELF_HOSTED_REMOTE_CACHE_SERVER: url, ...(token ? { NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token } : {}) }),
    warnOnce: (what, message) => warned.push(`${what}: ${message}`),
    warned,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nx-docker-records-'));
  server = await startNxCacheServer({ dir, readWriteTokens: [rw], readTokens: [ro] });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  logs = [];
  const collect = (...args: unknown[]) => void logs.push(args.map(String).join(' '));
  jest.spyOn(console, 'log').mockImplementation(collect);
  jest.spyOn(console, 'warn').mockImplementation(collect);
});
afterEach(() => jest.restoreAllMocks());

it('records a push once, reads it back with either token, and keeps the first writer on a second push', async () => {
  const writer = storeWith(rw);
  await recordPush(target(key(1)), digest, writer);
  expect(logs).toEqual([expect.stringMatching(/^recorded 127\.0\.0\.1:5000\/cache\/app:nx-0{16} as sha256:1{64} in the Nx remote cache \(entry \d+\)$/)]);
  for (const token of [rw, ro]) {
    expect(await lookUpRecord(target(key(1)), storeWith(token))).toEqual({
      kind: 'found',
      record: { schema: 'nx-docker/image-record@1', contentKey: key(1), platforms: ['linux/amd64'], ref: target(key(1)).ref, digest },
    });
  }
  logs = [];
  await recordPush(target(key(1)), digest, writer);
  expect(logs).toEqual([expect.stringMatching(/is already recorded as sha256:1{64} in the Nx remote cache/)]);
  logs = [];
  await recordPush(target(key(1)), other, writer);
  expect(logs).toEqual([expect.stringMatching(/already records sha256:1{64} for \S+ \(first writer wins.*not this push's sha256:2{64}$/)]);
  expect(await lookUpRecord(target(key(1)), writer)).toMatchObject({ record: { digest } });
  expect(writer.warned).toEqual([]);
});

it('finds no record for a key never pushed', async () => {
  expect(await lookUpRecord(target(key(2)), storeWith(ro))).toEqual({ kind: 'absent' });
});

it('does not record with a read-only token, and says so once per command', async () => {
  const reader = storeWith(ro);
  await recordPush(target(key(3)), digest, reader);
  expect(reader.warned).toEqual([expect.stringMatching(/^record-read-only: note: the Nx remote cache token is read-only \(HTTP 403: this access token is read-only/)]);
  expect(await lookUpRecord(target(key(3)), reader)).toEqual({ kind: 'absent' });
});

it('goes on without records when the token is unknown, the server down, or no remote cache configured', async () => {
  const stranger = storeWith('not-a-token');
  expect(await lookUpRecord(target(key(1)), stranger)).toEqual({ kind: 'unanswered', reason: expect.stringMatching(/^HTTP 401: missing or unknown access token/) });
  expect(stranger.warned).toEqual([expect.stringMatching(/^record-unanswered: warning: the Nx remote cache did not answer for image digest records \(HTTP 401/)]);
  await recordPush(target(key(4)), digest, stranger);
  expect(stranger.warned[1]).toMatch(/^record-write-failed: warning: could not record the digest of \S+ in the Nx remote cache \(HTTP 401/);

  // A server that is down: a free port, nothing listening.
  const url = `http://127.0.0.1:${await findFreePort()}`;
  const down = storeWith(rw, url);
  expect(await lookUpRecord(target(key(1)), down)).toEqual({ kind: 'unanswered', reason: expect.stringMatching(/^GET http:\/\/127\.0\.0\.1:\d+\/v1\/cache\/\d+: ECONNREFUSED$/) });
  await recordPush(target(key(1)), digest, down);
  expect(down.warned).toEqual([expect.stringMatching(/^record-unanswered: /), expect.stringMatching(/^record-write-failed: .*ECONNREFUSED/)]);

  const off: RecordStore & { warned: string[] } = { warnOnce: (what) => off.warned.push(what), warned: [] };
  expect(await lookUpRecord(target(key(1)), off)).toEqual({ kind: 'off' });
  await recordPush(target(key(1)), digest, off);
  expect(off.warned).toEqual(['record-off']);
});
