import { createServer, type Server } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { parseEnv } from '../../src/config/env';

/** The real app (every plugin, the job worker) with test-sized timings; `overrides` are env variables. */
export async function startApp(mongoUrl: string, poseServiceUrl: string, overrides: Record<string, string> = {}): Promise<FastifyInstance> {
  const env = parseEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MONGO_URL: mongoUrl,
    POSE_SERVICE_URL: poseServiceUrl,
    MONGO_SERVER_SELECTION_TIMEOUT_MS: '1000',
    MONGO_CONNECT_RETRY_MS: '200',
    POSE_HEALTH_TIMEOUT_MS: '1000',
    JOB_POLL_MS: '100',
    JOB_LEASE_MS: '3000',
    ...overrides,
  });
  const app = await buildApp(env);
  await app.ready();
  return app;
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
