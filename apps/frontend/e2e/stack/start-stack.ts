import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './free-port';
import { startManagedProcess, waitForHttp, type ManagedProcess } from './managed-process';

export interface StackPaths {
  readonly workspaceRoot: string;
  readonly logDir: string;
}

export type Stack =
  | {
      readonly frontendUrl: string;
      /** True when this run started backend-api on an empty database, so the page must show an empty list. */
      readonly isFreshBackend: boolean;
      stop(): Promise<void>;
    }
  | { readonly skipReason: string };

type Piece = { readonly url: string } | { readonly skipReason: string };

/**
 * The real stack for the browser test, piece by piece: a URL from the environment wins (FRONTEND_URL,
 * BACKEND_URL, MONGO_URL, POSE_SERVICE_URL); otherwise the piece is started from the workspace's own
 * build. A piece that is neither given nor built makes the test skip, naming what is missing and how to
 * get it. Everything started here is stopped by `stop()`, temp dirs included.
 */
export async function startStack(paths: StackPaths, env: NodeJS.ProcessEnv): Promise<Stack> {
  const started: ManagedProcess[] = [];
  const tempDirs: string[] = [];
  const stop = async () => {
    for (const child of started.reverse()) await child.stop();
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  };
  mkdirSync(paths.logDir, { recursive: true });

  try {
    const frontend = await resolveFrontend();
    if ('skipReason' in frontend) {
      await stop();
      return frontend;
    }
    return { frontendUrl: frontend.url, isFreshBackend: !env.FRONTEND_URL && !env.BACKEND_URL && !env.MONGO_URL, stop };
  } catch (error) {
    await stop();
    throw error;
  }

  async function resolveFrontend(): Promise<Piece> {
    if (env.FRONTEND_URL) return { url: env.FRONTEND_URL.replace(/\/+$/, '') };
    const serverMain = join(paths.workspaceRoot, 'dist/apps/frontend/server/main.js');
    const staticDir = join(paths.workspaceRoot, 'dist/apps/frontend/static');
    if (!existsSync(serverMain) || !existsSync(join(staticDir, 'index.html'))) {
      return { skipReason: 'the frontend is not built: run `npx nx run-many -p frontend -t build build-server` (nx e2e frontend does)' };
    }
    const backend = await resolveBackend();
    if ('skipReason' in backend) return backend;
    const port = await findFreePort();
    const url = `http://127.0.0.1:${port}`;
    started.push(
      await startManagedProcess({
        name: 'frontend server',
        command: process.execPath,
        args: [serverMain],
        cwd: paths.workspaceRoot,
        env: { ...env, BACKEND_URL: backend.url, PORT: String(port), HOST: '127.0.0.1', STATIC_DIR: staticDir },
        logFile: join(paths.logDir, 'frontend-server.log'),
        waitUntilReady: (_output, exited) => waitForHttp(`${url}/health`, exited, (status) => status === 200),
        readyTimeoutMs: 20_000,
      }),
    );
    return { url };
  }

  async function resolveBackend(): Promise<Piece> {
    if (env.BACKEND_URL) return { url: env.BACKEND_URL.replace(/\/+$/, '') };
    const main = join(paths.workspaceRoot, 'apps/backend-api/src/main.ts');
    if (!existsSync(main)) return { skipReason: `backend-api is missing (${main}) and BACKEND_URL is not set` };
    const [mongo, poseService] = [await resolveMongo(), await resolvePoseService()];
    if ('skipReason' in mongo) return mongo;
    if ('skipReason' in poseService) return poseService;
    const port = await findFreePort();
    const url = `http://127.0.0.1:${port}`;
    started.push(
      await startManagedProcess({
        name: 'backend-api',
        command: process.execPath,
        // Runs the TypeScript source, so the test always exercises the current backend. The frontend's e2e
        // tsconfig only supplies compiler options (paths to the contracts lib, no @swc/helpers import).
        args: ['--require', '@swc-node/register', main],
        cwd: paths.workspaceRoot,
        env: {
          ...env,
          SWC_NODE_PROJECT: join(paths.workspaceRoot, 'apps/frontend/tsconfig.e2e.json'),
          MONGO_URL: mongo.url,
          POSE_SERVICE_URL: poseService.url,
          PORT: String(port),
          HOST: '127.0.0.1',
          NODE_ENV: 'test',
        },
        logFile: join(paths.logDir, 'backend-api.log'),
        // 200 only once MongoDB and pose-service are both reachable from it.
        waitUntilReady: (_output, exited) => waitForHttp(`${url}/health`, exited, (status) => status === 200),
        readyTimeoutMs: 60_000,
      }),
    );
    return { url };
  }

  async function resolveMongo(): Promise<Piece> {
    if (env.MONGO_URL) return { url: env.MONGO_URL };
    const binary = join(paths.workspaceRoot, 'dist/ferretdb/ferretdb');
    if (!existsSync(binary)) {
      return { skipReason: 'no MongoDB-wire server: set MONGO_URL or build FerretDB with `npx nx run ferretdb-bin:build`' };
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'frontend-e2e-ferretdb-'));
    tempDirs.push(dataDir);
    let readyUrl = '';
    started.push(
      await startManagedProcess({
        name: 'ferretdb',
        command: binary,
        // Port 0: FerretDB picks a free port and prints it, so there is no race for it.
        args: ['--listen-addr', '127.0.0.1:0', '--data-dir', dataDir],
        cwd: paths.workspaceRoot,
        env,
        logFile: join(paths.logDir, 'ferretdb.log'),
        waitUntilReady: async (output, exited) => {
          while (!exited()) {
            const match = /ready (mongodb:\/\/\S+)/.exec(output());
            if (match) {
              readyUrl = match[1];
              return;
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        },
        readyTimeoutMs: 30_000,
      }),
    );
    return { url: `${readyUrl.replace(/\/+$/, '')}/posestack-frontend-e2e` };
  }

  async function resolvePoseService(): Promise<Piece> {
    if (env.POSE_SERVICE_URL) return { url: env.POSE_SERVICE_URL.replace(/\/+$/, '') };
    const serviceRoot = join(paths.workspaceRoot, 'apps/pose-service');
    const python = join(serviceRoot, '.venv/bin/python');
    const modelDir = join(paths.workspaceRoot, 'dist/pose-models');
    if (!existsSync(python)) {
      return { skipReason: 'pose-service has no venv: set POSE_SERVICE_URL or run `npx nx run pose-service:setup`' };
    }
    if (!existsSync(modelDir)) {
      return { skipReason: 'pose-service models are missing: run `npx nx run pose-service:models`' };
    }
    const port = await findFreePort();
    const url = `http://127.0.0.1:${port}`;
    started.push(
      await startManagedProcess({
        name: 'pose-service',
        command: python,
        args: ['-m', 'pose_service'],
        cwd: serviceRoot,
        env: {
          ...env,
          PYTHONPATH: join(serviceRoot, 'src'),
          POSE_MODEL_DIR: modelDir,
          POSE_PORT: String(port),
          POSE_HOST: '127.0.0.1',
          // CPU keeps the test runnable anywhere; the GPU path is the stack-e2e project's job.
          POSE_DEVICE: env.POSE_DEVICE ?? 'cpu',
        },
        logFile: join(paths.logDir, 'pose-service.log'),
        waitUntilReady: (_output, exited) => waitForHttp(`${url}/health`, exited, (status) => status === 200),
        readyTimeoutMs: 180_000,
      }),
    );
    return { url };
  }
}
