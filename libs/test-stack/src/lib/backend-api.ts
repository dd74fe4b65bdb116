import { join } from 'node:path';
import { findFreePort } from './free-port';
import { startManagedProcess } from './managed-process';
import { waitForHttp } from './readiness';
import { workspaceRoot } from './workspace-paths';

export interface BackendApiOptions {
  readonly mongoUrl: string;
  readonly poseServiceUrl: string;
  /** The token pose-service requires of backend-api (POSE_SERVICE_TOKEN): the PoseService's own. */
  readonly poseServiceToken: string;
  /** More variables of apps/backend-api/src/config/env.ts (leases, timeouts), on top of this process's env. */
  readonly env?: NodeJS.ProcessEnv;
  /** A fixed port (default: a free one), e.g. to start it again where its clients expect it. */
  readonly port?: number;
  readonly logFile?: string;
  /** Another checkout of this repository to run backend-api from (default: this one), e.g. for a before/after benchmark. */
  readonly checkoutRoot?: string;
}

export interface BackendApi {
  readonly url: string;
  readonly port: number;
  /** SIGTERM: the graceful path (close-with-grace hands the running job back). */
  stop(): Promise<void>;
  /** SIGKILL: a crash, nothing handed back, requests in flight cut off. */
  kill(): Promise<void>;
}

/**
 * The real backend-api as its own process (TypeScript source through @swc-node/register, as its `serve` target
 * runs it), on loopback. Ready once /health answers at all: 503 is a valid state here (the suite starts it with
 * a dependency down on purpose).
 */
export async function startBackendApi(options: BackendApiOptions): Promise<BackendApi> {
  const port = options.port ?? (await findFreePort());
  const url = `http://127.0.0.1:${port}`;
  const root = options.checkoutRoot ?? workspaceRoot;
  const server = await startManagedProcess({
    name: 'backend-api',
    command: process.execPath,
    args: ['--require', '@swc-node/register', join(root, 'apps/backend-api/src/main.ts')],
    cwd: root,
    env: {
      ...process.env,
      SWC_NODE_PROJECT: join(root, 'apps/backend-api/tsconfig.app.json'),
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      ...options.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      MONGO_URL: options.mongoUrl,
      POSE_SERVICE_URL: options.poseServiceUrl,
      POSE_SERVICE_TOKEN: options.poseServiceToken,
    },
    logFile: options.logFile,
    isLogAppended: options.logFile !== undefined,
    waitUntilReady: (probe) => waitForHttp(probe, `${url}/health`, () => true),
    readyTimeoutMs: 60_000,
  });
  return { url, port, stop: () => server.stop(), kill: () => server.kill() };
}
