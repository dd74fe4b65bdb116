import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DockerError } from '../errors';
import type { DockerEnv } from './docker-cli';
import type { LocalImages } from './parse-docker-output';

const DEFAULT_SOCKET = '/var/run/docker.sock';

/**
 * The unix socket the docker CLI would talk to, when that can be known without the CLI: DOCKER_HOST as
 * `unix://<path>`, or no DOCKER_HOST and no docker context chosen (DOCKER_CONTEXT, or `currentContext` in the
 * CLI's config.json), which is the default socket. Anything else (tcp, ssh, a context with its own endpoint,
 * TLS) is left to the CLI, which knows how to reach it.
 */
export function localEngineSocket(env: DockerEnv): string | undefined {
  if (env.DOCKER_HOST !== undefined && env.DOCKER_HOST !== '') {
    return env.DOCKER_HOST.startsWith('unix://') ? env.DOCKER_HOST.slice('unix://'.length) : undefined;
  }
  if (env.DOCKER_CONTEXT !== undefined && env.DOCKER_CONTEXT !== '' && env.DOCKER_CONTEXT !== 'default') return undefined;
  const configDir = env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), '.docker');
  let config: { currentContext?: unknown };
  try {
    config = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_SOCKET;
    return undefined; // A config the CLI may read differently: let it.
  }
  return config.currentContext === undefined || config.currentContext === '' || config.currentContext === 'default' ? DEFAULT_SOCKET : undefined;
}

function getJson(socketPath: string, path: string): Promise<unknown> {
  const where = `GET ${path} on unix://${socketPath}`;
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', headers: { Host: 'docker' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => reject(new DockerError('daemon-unreachable', `${where}: ${error.message}`, { cause: error })));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) {
          reject(new DockerError('command-failed', `${where}: the Docker Engine API answered ${res.statusCode}: ${body.trim()}`));
          return;
        }
        try {
          resolve(JSON.parse(body));
        } catch (error) {
          reject(new DockerError('command-failed', `${where}: the answer is not JSON (${(error as Error).message})`));
        }
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      const kind = error.code === 'EACCES' ? 'command-failed' : 'daemon-unreachable';
      const hint = error.code === 'EACCES' ? ' (permission denied: run as a user in the docker group)' : '';
      reject(new DockerError(kind, `${where}: ${error.message}${hint}`, { cause: error }));
    });
    req.end();
  });
}

/**
 * Every `repository:tag` in the store with its image id, straight from the Engine API (`GET /images/json`,
 * the call behind `docker image ls`): the presence probe runs on every nx command that builds images, and
 * the CLI costs a process start and a Node child-process library load (about 150 ms here) for a few ms of work.
 */
export async function listImagesFromEngine(socketPath: string): Promise<LocalImages> {
  const answer = (await getJson(socketPath, '/images/json')) as Array<{ Id?: string; RepoTags?: string[] | null }>;
  const images = new Map<string, string>();
  for (const image of answer) {
    for (const ref of image.RepoTags ?? []) {
      if (image.Id && !ref.includes('<none>')) images.set(ref, image.Id);
    }
  }
  return images;
}
