import { createServer, type Server } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Role } from '@posestack/api-contracts';
import type { PoseService } from '@posestack/test-stack';
import { buildApp } from '../../src/app';
import { parseEnv } from '../../src/config/env';

/** A pose-service stand-in (silent or unreachable) needs no real token; it never checks one. */
const STAND_IN_TOKEN = 'stand-in-service-token-'.padEnd(40, 'x');

/** One editor token per database (tokens live there), so an app started while it is down can still use one. */
const editorTokens = new Map<string, string>();
const databaseOf = new WeakMap<FastifyInstance, string>();

/**
 * The real app (every plugin, the job worker) with test-sized timings; `overrides` are env variables. Its
 * database gets an editor API token (through the same repository the CLI uses); `auth(app)` is its header.
 */
export async function startApp(
  mongoUrl: string,
  poseService: Pick<PoseService, 'url' | 'token'> | string,
  overrides: Record<string, string> = {},
  logStream?: NodeJS.WritableStream,
): Promise<FastifyInstance> {
  const pose = typeof poseService === 'string' ? { url: poseService, token: STAND_IN_TOKEN } : poseService;
  const env = parseEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MONGO_URL: mongoUrl,
    POSE_SERVICE_URL: pose.url,
    POSE_SERVICE_TOKEN: pose.token,
    MONGO_SERVER_SELECTION_TIMEOUT_MS: '1000',
    MONGO_CONNECT_RETRY_MS: '200',
    POSE_HEALTH_TIMEOUT_MS: '1000',
    JOB_POLL_MS: '100',
    JOB_LEASE_MS: '3000',
    ...overrides,
  });
  const app = await buildApp(env, { logStream });
  await app.ready();
  databaseOf.set(app, mongoUrl);
  if (!editorTokens.has(mongoUrl)) editorTokens.set(mongoUrl, await createToken(app, 'editor'));
  return app;
}

export async function createToken(app: FastifyInstance, role: Role, name = `test-${role}`): Promise<string> {
  return (await app.credentials.createToken(name, role)).token;
}

/** The Authorization header of the app's own editor token. */
export function auth(app: FastifyInstance): { authorization: string } {
  const token = editorTokens.get(databaseOf.get(app) ?? '');
  if (!token) throw new Error('no test token for this database (was it down when the first app on it started?)');
  return { authorization: `Bearer ${token}` };
}

/**
 * A pose-service that accepts connections and never answers: a video job sent there stays `running`, which
 * lets a test stop the API in the middle of a job deterministically.
 */
export async function startSilentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A URL where nothing listens (connection refused). */
export const unreachableUrl = 'http://127.0.0.1:9';
