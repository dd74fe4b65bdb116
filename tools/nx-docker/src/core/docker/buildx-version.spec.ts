import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerError } from '../errors';
import { readBuildxVersion } from './buildx-version';
import { probeBuildx } from './docker-cli';

const installed = ['/usr/libexec/docker/cli-plugins/docker-buildx', '/usr/lib/docker/cli-plugins/docker-buildx'].find((path) => existsSync(path));
const maybe = installed ? it : it.skip;
if (!installed) console.log('buildx-version.spec: skipped, no docker-buildx plugin in /usr/libexec or /usr/lib');

describe('readBuildxVersion', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nx-docker-buildx-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  maybe('asks the real plugin once per binary, and again when the binary changes', async () => {
    // The user's plugin folder comes first in the docker CLI's search: a copy there is the one in use.
    mkdirSync(join(dir, 'config', 'cli-plugins'), { recursive: true });
    const binary = join(dir, 'config', 'cli-plugins', 'docker-buildx');
    copyFileSync(installed as string, binary);
    const env = { ...process.env, DOCKER_CONFIG: join(dir, 'config') };
    const cacheFile = join(dir, 'buildx.json');
    const version = await readBuildxVersion(env, cacheFile);
    expect(version).toBe(await probeBuildx(env));
    // Without docker on PATH only the remembered value can answer...
    const noDocker = { ...env, PATH: join(dir, 'empty') };
    expect(await readBuildxVersion(noDocker, cacheFile)).toBe(version);
    // ...until the binary changes: then the CLI is asked again (and here is missing).
    utimesSync(binary, new Date(), new Date(Date.now() - 3600_000));
    await expect(readBuildxVersion(noDocker, cacheFile)).rejects.toThrow(DockerError);
  });
});
