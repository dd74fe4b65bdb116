import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ferretDbSkipReason,
  findFreePort,
  poseServiceSkipReason,
  startFerretDb,
  startManagedProcess,
  startPoseService,
  waitForHttp,
  workspaceRoot,
} from '@posestack/test-stack';

export interface StackPaths {
  readonly logDir: string;
}

/** The person the browser signs in as: an editor made with backend-api's CLI, or E2E_USERNAME/E2E_PASSWORD. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export type Stack =
  | {
      readonly frontendUrl: string;
      readonly credentials: Credentials;
      /** True when this run started backend-api on an empty database, so the page must show an empty list. */
      readonly isFreshBackend: boolean;
      /** The database behind the backend, when known (started here, or MONGO_URL): tests seed analyses into it. */
      readonly mongoUrl: string | undefined;
      stop(): Promise<void>;
    }
  | { readonly skipReason: string };

type Piece = { readonly url: string; readonly token?: string } | { readonly skipReason: string };

/**
 * The real stack for the browser test, piece by piece: a URL from the environment wins (FRONTEND_URL,
 * BACKEND_URL, MONGO_URL, POSE_SERVICE_URL); otherwise the piece is started from the workspace's own
 * build. A piece that is neither given nor built makes the test skip, naming what is missing and how to
 * get it. Everything started here is stopped by `stop()`, temp dirs included.
 */
export async function startStack(paths: StackPaths, env: NodeJS.ProcessEnv): Promise<Stack> {
  const stopStarted: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const stopOne of stopStarted.reverse()) await stopOne();
  };
  mkdirSync(paths.logDir, { recursive: true });
  let credentials: Credentials | undefined =
    env.E2E_USERNAME && env.E2E_PASSWORD ? { username: env.E2E_USERNAME, password: env.E2E_PASSWORD } : undefined;
  let mongoUrl: string | undefined = env.MONGO_URL;

  try {
    const frontend = await resolveFrontend();
    if ('skipReason' in frontend) {
      await stop();
      return frontend;
    }
    if (!credentials) {
      await stop();
      return { skipReason: 'FRONTEND_URL or BACKEND_URL is given, so set E2E_USERNAME and E2E_PASSWORD (an editor made with the CLI) too' };
    }
    // A given frontend or backend may sit on another database than MONGO_URL: seed only what this run wired up.
    const isOwnBackend = !env.FRONTEND_URL && !env.BACKEND_URL;
    return {
      frontendUrl: frontend.url,
      credentials,
      isFreshBackend: isOwnBackend && !env.MONGO_URL,
      mongoUrl: isOwnBackend ? mongoUrl : undefined,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }

  async function resolveFrontend(): Promise<Piece> {
    if (env.FRONTEND_URL) return { url: env.FRONTEND_URL.replace(/\/+$/, '') };
    const serverMain = join(workspaceRoot, 'dist/apps/frontend/server/main.js');
    const staticDir = join(workspaceRoot, 'dist/apps/frontend/static');
    if (!existsSync(serverMain) || !existsSync(join(staticDir, 'index.html'))) {
      return { skipReason: 'the frontend is not built: run `npx nx run-many -p frontend -t build build-server` (nx e2e frontend does)' };
    }
    const backend = await resolveBackend();
    if ('skipReason' in backend) return backend;
    return startNodeServer({
      name: 'frontend server',
      args: [serverMain],
      env: { BACKEND_URL: backend.url, STATIC_DIR: staticDir },
      readyTimeoutMs: 20_000,
    });
  }

  async function resolveBackend(): Promise<Piece> {
    if (env.BACKEND_URL) return { url: env.BACKEND_URL.replace(/\/+$/, '') };
    const main = join(workspaceRoot, 'apps/backend-api/src/main.ts');
    if (!existsSync(main)) return { skipReason: `backend-api is missing (${main}) and BACKEND_URL is not set` };
    const [mongo, poseService] = [await resolveMongo(), await resolvePoseService()];
    if ('skipReason' in mongo) return mongo;
    if ('skipReason' in poseService) return poseService;
    credentials = createEditor(mongo.url);
    return startNodeServer({
      name: 'backend-api',
      // Runs the TypeScript source, so the test always exercises the current backend. The frontend's e2e
      // tsconfig supplies the compiler options (paths to the contracts lib).
      args: ['--require', '@swc-node/register', main],
      env: {
        SWC_NODE_PROJECT: join(workspaceRoot, 'apps/frontend/tsconfig.e2e.json'),
        MONGO_URL: mongo.url,
        POSE_SERVICE_URL: poseService.url,
        POSE_SERVICE_TOKEN: poseService.token ?? env.POSE_SERVICE_TOKEN,
        NODE_ENV: 'test',
      },
      // /health answers 200 only once MongoDB and pose-service are both reachable from it.
      readyTimeoutMs: 60_000,
    });
  }

  /** A Node server of ours on a free loopback port, ready once its /health answers 200. */
  async function startNodeServer(server: { name: string; args: string[]; env: NodeJS.ProcessEnv; readyTimeoutMs: number }): Promise<Piece> {
    const port = await findFreePort();
    const url = `http://127.0.0.1:${port}`;
    const child = await startManagedProcess({
      name: server.name,
      command: process.execPath,
      args: server.args,
      cwd: workspaceRoot,
      env: { ...env, ...server.env, PORT: String(port), HOST: '127.0.0.1' },
      logFile: join(paths.logDir, `${server.name.replace(/\s+/g, '-')}.log`),
      waitUntilReady: (probe) => waitForHttp(probe, `${url}/health`, (status) => status === 200),
      readyTimeoutMs: server.readyTimeoutMs,
    });
    stopStarted.push(() => child.stop());
    return { url };
  }

  async function resolveMongo(): Promise<Piece> {
    if (env.MONGO_URL) return { url: env.MONGO_URL };
    const missing = ferretDbSkipReason();
    if (missing !== undefined) return { skipReason: `no MongoDB-wire server: set MONGO_URL, or ${missing}` };
    const db = await startFerretDb({ database: 'posestack-frontend-e2e', logFile: join(paths.logDir, 'ferretdb.log') });
    stopStarted.push(() => db.dispose());
    mongoUrl = db.url;
    return { url: db.url };
  }

  async function resolvePoseService(): Promise<Piece> {
    if (env.POSE_SERVICE_URL) return { url: env.POSE_SERVICE_URL.replace(/\/+$/, '') };
    const missing = poseServiceSkipReason();
    if (missing !== undefined) return { skipReason: `pose-service cannot start: set POSE_SERVICE_URL, or ${missing}` };
    const service = await startPoseService({
      env,
      // Unset means CPU, which keeps the test runnable anywhere; the GPU path is the stack-e2e project's job.
      device: env.POSE_DEVICE,
      logFile: join(paths.logDir, 'pose-service.log'),
      readyTimeoutMs: 180_000,
    });
    stopStarted.push(() => service.stop());
    return { url: service.url, token: service.token };
  }

  /** An editor with a random password, made the way an operator does it: backend-api's CLI, password on stdin. */
  function createEditor(mongoUrl: string): Credentials {
    const made = { username: 'e2e-editor', password: randomBytes(18).toString('base64url') };
    const result = spawnSync(
      process.execPath,
      ['--require', '@swc-node/register', join(workspaceRoot, 'apps/backend-api/src/cli/main.ts'), 'users', 'create', '--username', made.username, '--role', 'editor'],
      {
        cwd: workspaceRoot,
        input: made.password,
        encoding: 'utf8',
        env: { ...env, SWC_NODE_PROJECT: join(workspaceRoot, 'apps/frontend/tsconfig.e2e.json'), MONGO_URL: mongoUrl },
        timeout: 60_000,
      },
    );
    if (result.status !== 0) throw new Error(`backend-api CLI could not create the e2e user: ${result.stderr || result.error}`);
    return made;
  }
}
