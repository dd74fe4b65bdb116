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
}

export interface PoseService {
  readonly url: string;
  /** The service token this instance requires (POSE_SERVICE_TOKEN), fresh for every start. */
  readonly token: string;
  stop(): Promise<void>;
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
  const port = await findFreePort();
  const token = randomBytes(32).toString('hex');
  const url = `http://127.0.0.1:${port}`;
  const server = await startManagedProcess({
    name: 'pose-service',
    command: poseServicePython,
    args: ['-m', 'pose_service'],
    cwd: poseServiceRoot,
    env: {
      ...(options.env ?? process.env),
      PYTHONPATH: join(poseServiceRoot, 'src'),
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
  return { url, token, stop: () => server.stop() };
}
