import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './run-command';

/**
 * The stack under test as a docker compose project of its own: a unique project name (so a developer's running
 * `posestack` stack and parallel CI jobs are untouched), every host port 0 (Docker picks free ones; we ask
 * `docker compose port`), and throw-away Mongo Express credentials. Pure helpers first, then the shell.
 */
export interface ComposeProject {
  name: string;
  files: string[];
  cwd: string;
  env: Record<string, string>;
}

/** The files docker-compose.yml's `secrets:` read, with throw-away values. */
export function createComposeSecrets(): Record<'pose_service_token' | 'mongo_password' | 'me_password', string> {
  return {
    pose_service_token: randomBytes(32).toString('hex'),
    mongo_password: randomBytes(24).toString('hex'),
    me_password: randomBytes(18).toString('hex'),
  };
}

/** As tools/scripts/make-secrets.sh lays them out: a 0700 directory of 0644 files (read by the services' own users). */
export function writeComposeSecrets(dir: string, secrets: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o700);
  for (const [name, value] of Object.entries(secrets)) writeFileSync(join(dir, name), value, { mode: 0o644 });
}

/** service name -> container port, as published in docker-compose.yml */
export const PUBLISHED_PORTS = {
  'pose-service': 5000,
  'backend-api': 3001,
  frontend: 5173,
  mongodb: 27017,
  'mongo-express': 8081,
} as const;
export type StackService = keyof typeof PUBLISHED_PORTS;

export function createComposeProject(options: { files: string[]; cwd: string; tag: string; secretsDir: string; suffix?: string }): ComposeProject {
  const suffix = options.suffix ?? randomBytes(4).toString('hex');
  return {
    name: `posestack-e2e-${suffix}`,
    files: options.files,
    cwd: options.cwd,
    env: {
      POSESTACK_TAG: options.tag,
      POSESTACK_SECRETS_DIR: options.secretsDir,
      // Mongo Express is opt-in; the suite checks it, so it opts in.
      COMPOSE_PROFILES: 'admin',
      PUBLISH_IP: '127.0.0.1',
      POSE_SERVICE_PORT: '0',
      BACKEND_API_PORT: '0',
      FRONTEND_PORT: '0',
      MONGO_PORT: '0',
      MONGO_EXPRESS_PORT: '0',
      ME_USER: 'e2e',
      ME_COOKIE_SECRET: randomBytes(16).toString('hex'),
      ME_SESSION_SECRET: randomBytes(16).toString('hex'),
    },
  };
}

export function composeArgs(project: ComposeProject, ...command: string[]): string[] {
  return ['compose', '--project-name', project.name, ...project.files.flatMap((file) => ['--file', file]), ...command];
}

/** `docker compose port` prints `127.0.0.1:49153` (or `[::]:49153`, or `0.0.0.0:49153`). */
export function parsePortLine(line: string): { host: string; port: number } {
  const match = /^\[?([^\]]*?)\]?:(\d+)\s*$/.exec(line.trim().split('\n')[0] ?? '');
  if (!match) throw new Error(`unexpected 'docker compose port' output: ${JSON.stringify(line)}`);
  const host = match[1] === '0.0.0.0' || match[1] === '::' || match[1] === '' ? '127.0.0.1' : match[1];
  return { host, port: Number(match[2]) };
}

export function serviceUrls(ports: Record<StackService, { host: string; port: number }>) {
  const http = (service: StackService) => `http://${ports[service].host}:${ports[service].port}`;
  return {
    poseService: http('pose-service'),
    backend: http('backend-api'),
    frontend: http('frontend'),
    mongo: `mongodb://${ports.mongodb.host}:${ports.mongodb.port}/`,
    mongoExpress: http('mongo-express'),
  };
}

function docker(project: ComposeProject, command: string[], timeoutMs?: number) {
  // The .env of a developer's checkout must not leak in: every variable compose needs is passed here.
  return runCommand('docker', composeArgs(project, ...command), {
    cwd: project.cwd,
    env: { ...process.env, ...project.env },
    timeoutMs,
  });
}

/** `docker compose exec -T <service> <command...>`, stdin from `input`; stdout back. */
export async function composeExec(project: ComposeProject, service: string, command: string[], input?: string): Promise<string> {
  const { stdout } = await runCommand('docker', composeArgs(project, 'exec', '-T', service, ...command), {
    cwd: project.cwd,
    env: { ...process.env, ...project.env },
    input,
  });
  return stdout.trim();
}

export async function composeUp(project: ComposeProject, timeoutS: number): Promise<void> {
  await docker(project, ['up', '--detach', '--wait', '--wait-timeout', String(timeoutS)], (timeoutS + 60) * 1000);
}

export async function composePorts(project: ComposeProject) {
  const entries = await Promise.all(
    (Object.entries(PUBLISHED_PORTS) as [StackService, number][]).map(async ([service, port]) => {
      const { stdout } = await docker(project, ['port', service, String(port)]);
      return [service, parsePortLine(stdout)] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<StackService, { host: string; port: number }>;
}

/** What a failed start-up needs to be diagnosed: states and the last log lines of every service. */
export async function composeDiagnostics(project: ComposeProject): Promise<string> {
  const parts = await Promise.allSettled([
    docker(project, ['ps', '--all']),
    docker(project, ['logs', '--no-color', '--tail', '60']),
  ]);
  return parts.map((part) => (part.status === 'fulfilled' ? part.value.stdout : String(part.reason))).join('\n');
}

export async function composeDown(project: ComposeProject): Promise<void> {
  await docker(project, ['down', '--volumes', '--remove-orphans', '--timeout', '10'], 180_000);
}
