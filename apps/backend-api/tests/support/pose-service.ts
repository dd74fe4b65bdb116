import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort, spawnLogged } from './child-process';
import { poseModelDir, poseServicePython, poseServiceRoot } from './paths';

/**
 * Why the pose-service suites may be skipped: they need pose-service's Python venv (torch, FastAPI) and the
 * MoveNet models. Undefined when both are there.
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

export interface PoseService {
  url: string;
  stop: () => Promise<void>;
}

/** The real pose-service on CPU, started the way its `serve` target does, on a free port. */
export async function startPoseService(): Promise<PoseService> {
  const port = await findFreePort();
  const server = spawnLogged(poseServicePython, ['-m', 'pose_service'], {
    cwd: poseServiceRoot,
    env: {
      ...process.env,
      PYTHONPATH: 'src',
      POSE_MODEL_DIR: poseModelDir,
      POSE_DEVICE: 'cpu',
      POSE_HOST: '127.0.0.1',
      POSE_PORT: String(port),
      // One model is enough for the API tests and loads three times faster.
      POSE_MODELS: '["multipose"]',
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`pose-service exited with ${server.child.exitCode}:\n${server.output()}`);
    const isUp = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (isUp) return { url, stop: () => server.stop() };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await server.stop();
  throw new Error(`pose-service did not answer ${url}/health within 120 s:\n${server.output()}`);
}
