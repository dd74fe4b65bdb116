import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { probeBuildx, type DockerEnv } from './docker-cli';

/**
 * `docker buildx version` costs a CLI and a plugin process (about 150 ms here) on every nx command and every
 * docker-build task, for a value that changes only when the plugin binary does. So it is remembered per binary
 * (path, size, mtime, inode), found where the docker CLI looks for plugins, in its order. With extra plugin dirs
 * configured, or no binary found, the CLI is asked every time.
 */
function pluginDirs(env: DockerEnv): string[] | undefined {
  const configDir = env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), '.docker');
  try {
    const config = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8')) as { cliPluginsExtraDirs?: unknown };
    if (config.cliPluginsExtraDirs) return undefined;
  } catch {
    // No config.json: the defaults apply.
  }
  return [join(configDir, 'cli-plugins'), '/usr/local/lib/docker/cli-plugins', '/usr/local/libexec/docker/cli-plugins', '/usr/lib/docker/cli-plugins', '/usr/libexec/docker/cli-plugins'];
}

function binaryIdentity(env: DockerEnv): string | undefined {
  const binary = pluginDirs(env)?.map((dir) => join(dir, 'docker-buildx')).find((path) => existsSync(path));
  if (!binary) return undefined;
  const stat = statSync(binary);
  return `${binary} ${stat.size} ${stat.mtimeMs} ${stat.ino}`;
}

export async function readBuildxVersion(env: DockerEnv, cacheFile: string): Promise<string> {
  const identity = binaryIdentity(env);
  if (identity) {
    try {
      const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as { identity?: string; version?: string };
      if (cached.identity === identity && cached.version) return cached.version;
    } catch {
      // Not cached yet.
    }
  }
  const version = await probeBuildx(env);
  if (identity) writeFileAtomic(cacheFile, JSON.stringify({ identity, version }));
  return version;
}

export const buildxVersionCachePath = (workspaceDataDirectory: string) => join(workspaceDataDirectory, 'nx-docker-buildx-version.json');
