import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort } from './free-port';
import { startManagedProcess } from './managed-process';
import { waitForHttp } from './readiness';
import { poseModelDir, poseServicePython, poseServiceRoot } from './workspace-paths';

export interface PoseServiceOptions {
  /** POSE_MODELS (default: the service's own list); one model loads several times faster. */
  readonly models?: readonly string[];
  /** POSE_DEVICE (default `cpu`, so the tests run anywhere; the GPU path is stack-e2e's job). */
  readonly device?: string;
  /** The base environment (default: this process's); the POSE_* variables above are set on top. */
  readonly env?: NodeJS.ProcessEnv;
  readonly logFile?: string;
  /** Loading the models on a busy CPU is slow (default 120 s). */
  readonly readyTimeoutMs?: number;
  /** A fixed port (default: a free one), e.g. to start it again where its clients expect it. */
  readonly port?: number;
  /** The service token (default: a fresh one), e.g. to start it again for the clients that hold it. */
  readonly token?: string;
  /** Another checkout of this repository to take the service's source from (default: this one); same venv. */
  readonly checkoutRoot?: string;
}

export interface PoseService {
  readonly url: string;
  readonly port: number;
  /** The service token this instance requires (POSE_SERVICE_TOKEN): fresh for every start unless given. */
  readonly token: string;
  stop(): Promise<void>;
  /** SIGKILL: a crash, in flight requests cut off. */
  kill(): Promise<void>;
}

/**
 * Why pose-service cannot be started here: it needs its Python venv (torch, FastAPI) and the MoveNet models.
 * Undefined when both are there.
 */
export function poseServiceSkipReason(): string | undefined {
  if (!existsSync(poseServicePython)) {
    return `${poseServicePython} is missing: create it with \`npx nx run pose-service:setup\``;
  }
  if (!existsSync(join(poseModelDir, 'movenet-multipose.json'))) {
    return `${poseModelDir} has no models: run \`npx nx run pose-service:models\``;
  }
  return undefined;
}

/** The real pose-service, started the way its `serve` target does, on a free port; ready when /health is 200. */
export async function startPoseService(options: PoseServiceOptions = {}): Promise<PoseService> {
  const port = options.port ?? (await findFreePort());
  // A restart on the same port (fault injection) keeps its token, so its clients still get in.
  const token = options.token ?? randomBytes(32).toString('hex');
  const url = `http://127.0.0.1:${port}`;
  const server = await startManagedProcess({
    name: 'pose-service',
    command: poseServicePython,
    args: ['-m', 'pose_service'],
    cwd: poseServiceRoot,
    env: {
      ...(options.env ?? process.env),
      PYTHONPATH: options.checkoutRoot === undefined ? join(poseServiceRoot, 'src') : join(options.checkoutRoot, 'apps/pose-service/src'),
      POSE_MODEL_DIR: poseModelDir,
      POSE_DEVICE: options.device ?? 'cpu',
      POSE_HOST: '127.0.0.1',
      POSE_PORT: String(port),
      POSE_SERVICE_TOKEN: token,
      ...(options.models === undefined ? {} : { POSE_MODELS: JSON.stringify(options.models) }),
    },
    logFile: options.logFile,
    waitUntilReady: (probe) => waitForHttp(probe, `${url}/health`, (status) => status === 200, { authorization: `Bearer ${token}` }),
    readyTimeoutMs: options.readyTimeoutMs ?? 120_000,
  });
  return { url, port, token, stop: () => server.stop(), kill: () => server.kill() };
}
