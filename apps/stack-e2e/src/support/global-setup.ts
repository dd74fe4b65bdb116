import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  composeDiagnostics,
  composeDown,
  composeExec,
  composePorts,
  composeUp,
  createComposeProject,
  createComposeSecrets,
  serviceUrls,
  writeComposeSecrets,
} from './compose-stack';
import { findPhoto } from './find-photo';
import { decideGpu } from './gpu-status';
import { isExternalStack, parseStackEnv } from './stack-env';
import { STATE_FILE, StackState, WORKSPACE_ROOT, writeStackState } from './stack-state';
import { fetchOk, waitFor } from './wait-for';

const HTTP_HEALTH = [
  ['pose-service', 'poseService', '/health'],
  ['backend-api', 'backend', '/health'],
  ['frontend', 'frontend', '/health'],
] as const;

/** Brings the stack up (or finds the running one), waits for health, and records what the tests need. */
export default async function globalSetup(): Promise<void> {
  const env = parseStackEnv(process.env);
  // A state file left by an earlier run must never point teardown at someone else's stack.
  rmSync(STATE_FILE, { force: true });
  const base = {
    keepStack: env.E2E_KEEP_STACK,
    mongoDb: env.E2E_MONGO_DB,
    analysesCollection: env.E2E_ANALYSES_COLLECTION,
    imagePath: findPhoto(WORKSPACE_ROOT, env.E2E_IMAGE),
    chromiumPath: existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined,
  };
  let state: Omit<StackState, 'gpu' | 'poseHealth'>;

  if (isExternalStack(env)) {
    state = {
      ...base,
      mode: 'external',
      urls: {
        poseService: env.POSE_SERVICE_URL,
        backend: env.BACKEND_URL,
        frontend: env.FRONTEND_URL,
        mongo: env.MONGO_URL,
        mongoExpress: env.MONGO_EXPRESS_URL,
      },
      mongoExpressAuth:
        env.MONGO_EXPRESS_USER && env.MONGO_EXPRESS_PASSWORD
          ? { user: env.MONGO_EXPRESS_USER, password: env.MONGO_EXPRESS_PASSWORD }
          : undefined,
      backendToken: env.BACKEND_TOKEN,
      poseServiceToken: env.POSE_SERVICE_TOKEN,
      pageUser: env.E2E_USERNAME && env.E2E_PASSWORD ? { username: env.E2E_USERNAME, password: env.E2E_PASSWORD } : undefined,
    };
    console.log(`stack-e2e: targeting a running stack: ${JSON.stringify(state.urls)}`);
  } else {
    const files = env.E2E_COMPOSE_FILES.split(',').map((file) => file.trim()).filter(Boolean);
    const secretsDir = mkdtempSync(join(tmpdir(), 'stack-e2e-secrets-'));
    const secrets = createComposeSecrets();
    writeComposeSecrets(secretsDir, secrets);
    const project = createComposeProject({ files, cwd: WORKSPACE_ROOT, tag: env.POSESTACK_TAG, secretsDir });
    const started = Date.now();
    console.log(`stack-e2e: docker compose -p ${project.name} -f ${files.join(' -f ')} up --wait`);
    try {
      await composeUp(project, env.E2E_STARTUP_TIMEOUT_S);
    } catch (error) {
      const diagnostics = await composeDiagnostics(project);
      if (!env.E2E_KEEP_STACK) {
        await composeDown(project).catch(() => undefined);
        rmSync(secretsDir, { recursive: true, force: true });
      }
      throw new Error(`stack-e2e: the stack did not become healthy\n${diagnostics}`, { cause: error });
    }
    console.log(`stack-e2e: all services healthy after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const urls = serviceUrls(await composePorts(project));
    // The way an operator makes one: backend-api's CLI inside its container; the token is printed once.
    const backendToken = await composeExec(project, 'backend-api', ['node', 'cli/main.js', 'tokens', 'create', '--name', 'stack-e2e', '--role', 'editor']);
    const pageUser = { username: 'stack-e2e', password: randomBytes(18).toString('base64url') };
    await composeExec(project, 'backend-api', ['node', 'cli/main.js', 'users', 'create', '--username', pageUser.username, '--role', 'editor'], pageUser.password);
    state = {
      ...base,
      mode: 'compose',
      composeProject: project.name,
      composeFiles: files,
      composeEnv: project.env,
      urls: { ...urls, mongo: `${urls.mongo}${env.E2E_MONGO_DB}` },
      mongoExpressAuth: { user: project.env.ME_USER, password: secrets.me_password },
      backendToken,
      pageUser,
      poseServiceToken: secrets.pose_service_token,
      secretsDir,
    };
    // Written before anything else can fail, so global teardown always knows what to take down.
    writeStackState({ ...state, gpu: { isCuda: false, isRequired: env.E2E_REQUIRE_GPU, reason: 'not probed yet' } });
  }

  const poseAuth = { headers: { authorization: `Bearer ${state.poseServiceToken ?? ''}` } };
  for (const [service, key, path] of HTTP_HEALTH) {
    const url = state.urls[key];
    if (!url) continue;
    await waitFor(`${service} ${url}${path}`, async () => (await fetchOk(`${url}${path}`, poseAuth)).status, {
      timeoutMs: env.E2E_STARTUP_TIMEOUT_S * 1000,
      intervalMs: 2_000,
    });
  }

  const poseHealth = state.urls.poseService
    ? ((await (await fetchOk(`${state.urls.poseService}/health`, poseAuth)).json()) as Record<string, unknown>)
    : undefined;
  const gpu = decideGpu(poseHealth, env.E2E_REQUIRE_GPU, state.urls.poseService);
  console.log(`stack-e2e: pose-service /health ${JSON.stringify(poseHealth)}; GPU checks: ${gpu.isCuda || gpu.isRequired ? 'run' : 'skip'} (${gpu.reason})`);
  writeStackState({ ...state, poseHealth, gpu });
}
