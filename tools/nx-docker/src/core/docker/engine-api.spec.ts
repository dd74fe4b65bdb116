import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerError } from '../errors';
import { listLocalImages } from './docker-cli';
import { listImagesFromEngine, localEngineSocket } from './engine-api';
import { parseImageList } from './parse-docker-output';

describe('localEngineSocket', () => {
  let home: string;
  beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'nx-docker-engine-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  const withConfig = (config: unknown) => {
    mkdirSync(join(home, '.docker'), { recursive: true });
    writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify(config));
  };

  it('is the default socket when nothing chooses another endpoint', () => {
    expect(localEngineSocket({ HOME: home })).toBe('/var/run/docker.sock');
    withConfig({ auths: {}, currentContext: 'default' });
    expect(localEngineSocket({ HOME: home })).toBe('/var/run/docker.sock');
  });

  it('follows DOCKER_HOST when it is a unix socket, and leaves tcp and ssh to the CLI', () => {
    expect(localEngineSocket({ HOME: home, DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toBe('/run/user/1000/docker.sock');
    expect(localEngineSocket({ HOME: home, DOCKER_HOST: 'tcp://10.0.0.2:2376' })).toBeUndefined();
    expect(localEngineSocket({ HOME: home, DOCKER_HOST: 'ssh://me@builder' })).toBeUndefined();
  });

  it('leaves a chosen docker context to the CLI, from the env or from config.json', () => {
    expect(localEngineSocket({ HOME: home, DOCKER_CONTEXT: 'rootless' })).toBeUndefined();
    withConfig({ currentContext: 'desktop-linux' });
    expect(localEngineSocket({ HOME: home })).toBeUndefined();
    expect(localEngineSocket({ HOME: join(home, 'elsewhere'), DOCKER_CONFIG: join(home, '.docker') })).toBeUndefined();
  });

  it('leaves a config.json it cannot read to the CLI', () => {
    mkdirSync(join(home, '.docker'), { recursive: true });
    writeFileSync(join(home, '.docker', 'config.json'), '{ not json');
    expect(localEngineSocket({ HOME: home })).toBeUndefined();
  });
});

const socket = localEngineSocket(process.env);
const engineAnswers = (() => {
  try {
    execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'ignore' });
    return socket !== undefined && existsSync(socket);
  } catch {
    return false;
  }
})();
const maybe = engineAnswers ? it : it.skip;
if (!engineAnswers) console.log('engine-api.spec: the real-engine cases are skipped: no Docker engine answers on a local socket here');

describe('listImagesFromEngine (real engine)', () => {
  // Sorted: the CLI orders by creation time, and images created in the same second come in any order.
  const sorted = (images: ReadonlyMap<string, string>) => [...images].sort(([a], [b]) => a.localeCompare(b));
  const cliListing = () => sorted(parseImageList(execFileSync('docker', ['image', 'ls', '--no-trunc', '--format', '{{.Repository}}:{{.Tag}}\t{{.ID}}'], { encoding: 'utf8' })));

  maybe('lists what docker image ls lists, with the same ids', async () => {
    // Other builds may tag images meanwhile: compare only when the CLI saw the same store before and after.
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = cliListing();
      const fromEngine = sorted(await listImagesFromEngine(socket as string));
      if (JSON.stringify(before) !== JSON.stringify(cliListing())) continue;
      expect(fromEngine).toEqual(before);
      return;
    }
    throw new Error('the image store kept changing while it was listed');
  });

  it('says the daemon is not reachable when nothing listens on the socket', async () => {
    const missing = join(tmpdir(), `nx-docker-no-engine-${process.pid}.sock`);
    const failure = listLocalImages({ DOCKER_HOST: `unix://${missing}`, PATH: process.env.PATH });
    await expect(failure).rejects.toThrow(DockerError);
    await expect(failure).rejects.toMatchObject({ kind: 'daemon-unreachable' });
    await expect(failure).rejects.toThrow(`GET /images/json on unix://${missing}`);
  });
});
