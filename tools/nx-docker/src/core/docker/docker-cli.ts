import type { Result } from 'execa';
import { DockerError } from '../errors';
import { listImagesFromEngine, localEngineSocket } from './engine-api';
import {
  isBuildxTooOld,
  type LocalImages,
  parseBuilderDriver,
  parseBuildxVersion,
  imageListingFormat,
  parseImageList,
  parseImageListing,
  parsePushedDigest,
  parseRemoteDigests,
} from './parse-docker-output';
import type { StoredTag } from '../prune/plan-prune';

/**
 * The only module that starts processes. Every call is `docker` with an argument array (no shell), and
 * every failure becomes a DockerError (core/errors.ts) whose message says what failed and what to do.
 * The image listing asks the Engine API directly when the engine is a local socket (engine-api.ts).
 */

export type DockerEnv = Readonly<Record<string, string | undefined>>;

async function docker(args: readonly string[], env: DockerEnv, options: { cwd?: string; stream?: boolean; isRaw?: boolean } = {}): Promise<Result> {
  const stdio = options.stream ? 'inherit' : 'pipe';
  // Loaded on first use: the plugin's graph work (createNodes, createDependencies) never starts a process,
  // and every nx command without the daemon loads the plugin afresh.
  const { execa } = await import('execa');
  const result = await execa('docker', args, {
    cwd: options.cwd,
    env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    stdout: stdio,
    stderr: stdio,
    // Raw output is hashed: a final newline is part of the bytes.
    stripFinalNewline: !options.isRaw,
  });
  // A process that never started has no exit code; ENOENT means there is no docker binary on PATH.
  if (result.failed && result.exitCode === undefined) {
    const code = (result as { code?: string }).code;
    const command = `docker ${args.join(' ')}`;
    if (code === 'ENOENT') throw new DockerError('cli-missing', `${command}: spawn docker ENOENT (PATH=${env.PATH ?? ''})`, { cause: result });
    throw new DockerError('command-failed', `${command}: ${result.message}`, { cause: result });
  }
  return result;
}

function isDaemonFailure(stderr: string): boolean {
  return /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|dial unix|connection refused|no such file or directory/i.test(
    stderr,
  );
}

/** buildx must exist and be >= 0.11 (metadata-file digests, named contexts, secret env=). */
export async function probeBuildx(env: DockerEnv): Promise<string> {
  const result = await docker(['buildx', 'version'], env);
  const text = `${result.stdout}\n${result.stderr}`;
  const version = parseBuildxVersion(String(result.stdout));
  if (result.exitCode !== 0 || !version) {
    throw new DockerError('buildx-missing', `docker buildx version exited with ${result.exitCode}: ${text.trim()}`);
  }
  if (isBuildxTooOld(version)) throw new DockerError('buildx-too-old', `found buildx ${version.join('.')}`);
  return version.join('.');
}

export async function probeDaemon(env: DockerEnv): Promise<string> {
  const result = await docker(['version', '--format', '{{.Server.Version}}'], env);
  if (result.exitCode !== 0) {
    const stderr = String(result.stderr).trim();
    throw new DockerError(isDaemonFailure(stderr) ? 'daemon-unreachable' : 'command-failed', `docker version: ${stderr}`);
  }
  return String(result.stdout).trim();
}

export async function inspectBuilderDriver(builder: string | undefined, env: DockerEnv): Promise<string | undefined> {
  const result = await docker(['buildx', 'inspect', ...(builder ? [builder] : [])], env);
  if (result.exitCode !== 0) {
    throw new DockerError('command-failed', `docker buildx inspect ${builder ?? ''}: ${String(result.stderr).trim()} (option "builder")`);
  }
  return parseBuilderDriver(String(result.stdout));
}

/** Every `repository:tag` in the local store with its image id, in one call (the presence probe runs it once per nx command). */
export async function listLocalImages(env: DockerEnv): Promise<LocalImages> {
  const socket = localEngineSocket(env);
  if (socket) return listImagesFromEngine(socket);
  const result = await docker(['image', 'ls', '--no-trunc', '--format', '{{.Repository}}:{{.Tag}}\t{{.ID}}'], env);
  if (result.exitCode !== 0) {
    const stderr = String(result.stderr).trim();
    throw new DockerError(isDaemonFailure(stderr) ? 'daemon-unreachable' : 'command-failed', `docker image ls: ${stderr}`);
  }
  return parseImageList(String(result.stdout));
}

export async function inspectImageId(ref: string, env: DockerEnv): Promise<string | undefined> {
  const result = await docker(['image', 'inspect', '--format', '{{.Id}}', ref], env);
  return result.exitCode === 0 ? String(result.stdout).trim() : undefined;
}

export async function tagImage(source: string, target: string, env: DockerEnv): Promise<void> {
  const result = await docker(['image', 'tag', source, target], env);
  if (result.exitCode !== 0) throw new DockerError('command-failed', `docker image tag ${source} ${target}: ${String(result.stderr).trim()}`);
}

/** `docker buildx build` with the output streamed to the terminal (Nx captures it for the task log). */
export async function runBuildxBuild(argv: readonly string[], cwd: string, env: DockerEnv): Promise<void> {
  const result = await docker(argv, env, { cwd, stream: true });
  if (result.exitCode !== 0) {
    throw new DockerError('command-failed', `docker ${argv.join(' ')} exited with ${result.exitCode}`);
  }
}

/** Whether the engine keeps images in the containerd store (BuildKit's docker driver then exports layer caches). */
export async function isContainerdImageStore(env: DockerEnv): Promise<boolean> {
  const result = await docker(['info', '--format', '{{json .DriverStatus}}'], env);
  return result.exitCode === 0 && String(result.stdout).includes('io.containerd.snapshotter');
}

/** `docker pull` of a tag or a digest (`repo@sha256:...`): false when the registry has no such manifest; any other failure throws. */
export async function pullImage(ref: string, env: DockerEnv): Promise<boolean> {
  const result = await docker(['pull', '--quiet', ref], env);
  if (result.exitCode === 0) return true;
  const stderr = String(result.stderr).trim();
  if (/manifest unknown|not found|does not exist/i.test(stderr)) return false;
  throw new DockerError('command-failed', `docker pull ${ref}: ${stderr}`);
}

/** Whether the registry holds `ref`, asked without pulling it (`docker manifest inspect`). */
export async function hasRemoteImage(ref: string, isInsecure: boolean, env: DockerEnv): Promise<boolean> {
  const result = await docker(['manifest', 'inspect', ...(isInsecure ? ['--insecure'] : []), ref], env);
  if (result.exitCode === 0) return true;
  const stderr = String(result.stderr).trim();
  if (/no such manifest|manifest unknown|not found/i.test(stderr)) return false;
  throw new DockerError('command-failed', `docker manifest inspect ${ref}: ${stderr}`);
}

/**
 * The digests under which the registry holds `ref` (manifest, index and config digests), or undefined when it
 * has no such tag. Read with `docker manifest inspect --verbose`, so the registry credentials are Docker's own.
 */
export async function inspectRemoteDigests(ref: string, env: DockerEnv): Promise<string[] | undefined> {
  // imagetools reads the manifest as served (its digest is the index digest a containerd store names the image
  // by) with Docker's credentials, and talks plain HTTP to loopback registries by itself.
  const result = await docker(['buildx', 'imagetools', 'inspect', '--raw', ref], env, { isRaw: true });
  if (result.exitCode === 0) return parseRemoteDigests(String(result.stdout));
  const stderr = String(result.stderr).trim();
  if (/no such manifest|manifest unknown|not found/i.test(stderr)) return undefined;
  throw new DockerError('command-failed', `docker buildx imagetools inspect ${ref}: ${stderr}`);
}

/** `docker push`, answering the digest the push produced (undefined if Docker printed none). */
export async function pushImage(ref: string, env: DockerEnv): Promise<string | undefined> {
  // Not --quiet: only the full output names the digest; it is captured, not streamed.
  const result = await docker(['push', ref], env);
  if (result.exitCode !== 0) throw new DockerError('command-failed', `docker push ${ref}: ${String(result.stderr).trim()}`);
  return parsePushedDigest(String(result.stdout));
}

/** Removes one tag (never the image other tags still name). */
export async function untagImage(ref: string, env: DockerEnv): Promise<void> {
  const result = await docker(['image', 'rm', ref], env);
  if (result.exitCode !== 0) throw new DockerError('command-failed', `docker image rm ${ref}: ${String(result.stderr).trim()}`);
}

export async function inspectImageLabels(ref: string, env: DockerEnv): Promise<Record<string, string>> {
  const result = await docker(['image', 'inspect', '--format', '{{json .Config.Labels}}', ref], env);
  if (result.exitCode !== 0) throw new DockerError('command-failed', `docker image inspect ${ref}: ${String(result.stderr).trim()}`);
  return (JSON.parse(String(result.stdout)) as Record<string, string> | null) ?? {};
}

/** Every tag in the local store with its id and creation time (docker-prune's view of the store). */
export async function listLocalTags(env: DockerEnv): Promise<StoredTag[]> {
  const result = await docker(['image', 'ls', '--format', imageListingFormat], env);
  if (result.exitCode !== 0) throw new DockerError('command-failed', `docker image ls: ${String(result.stderr).trim()}`);
  return parseImageListing(String(result.stdout));
}

/** Untags `ref`, reporting a refusal (an image in use) as text instead of failing. */
export async function tryUntagImage(ref: string, env: DockerEnv): Promise<string | undefined> {
  const result = await docker(['image', 'rm', ref], env);
  return result.exitCode === 0 ? undefined : String(result.stderr).trim();
}
