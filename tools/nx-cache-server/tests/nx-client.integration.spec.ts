import { startNxCacheServer, workspaceRoot, type NxCacheServer } from '@posestack/test-stack';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Nx's own client (the HTTP remote cache built into nx 23) against the real server process: a cacheable target
 * runs in a throw-away workspace, the local cache and the output are wiped, and the rerun is a remote hit.
 */

const RW = 'rw-token-nx-client-test-01';
const RO = 'ro-token-nx-client-test-01';
const nxBin = join(workspaceRoot, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');

let root: string;
let cacheDir: string;
let server: NxCacheServer;

function writeFile(path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

// A random part: a hit restores these exact bytes, a rerun would write others.
const makeCommand = `node -e "const f=require('fs');f.mkdirSync('dist/lib',{recursive:true});f.writeFileSync('dist/lib/out.txt',f.readFileSync('libs/lib/input.txt','utf8')+Math.random())"`;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'nx-cache-client-'));
  cacheDir = join(root, 'server-store');
  symlinkSync(join(workspaceRoot, 'node_modules'), join(root, 'node_modules'));
  writeFile('package.json', JSON.stringify({ name: 'fixture', private: true }));
  writeFile('nx.json', JSON.stringify({ namedInputs: { default: ['{projectRoot}/**/*'] } }));
  writeFile('.gitignore', 'node_modules\ndist\n.nx\nserver-store\n');
  writeFile('libs/lib/input.txt', 'v1\n');
  writeFile(
    'libs/lib/project.json',
    JSON.stringify({
      name: 'lib',
      targets: {
        make: {
          executor: 'nx:run-commands',
          cache: true,
          inputs: ['default'],
          outputs: ['{workspaceRoot}/dist/lib'],
          configurations: { race: { commands: ['node libs/lib/race.js', makeCommand], parallel: false } },
          options: { commands: [makeCommand] },
        },
      },
    }),
  );
  server = await startNxCacheServer({ dir: cacheDir, readWriteTokens: [RW], readTokens: [RO], logFile: join(root, 'server.log') });
});

afterAll(async () => {
  await server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function runMake(token: string, extraArgs: string[] = []): Promise<string> {
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('NX_'))),
    // As in CI: NX_NO_CLOUD turns off Nx Cloud, not the self-hosted cache.
    NX_NO_CLOUD: 'true',
    NX_DAEMON: 'false',
    NX_TUI: 'false',
    NX_CACHE_DIRECTORY: join(root, '.nx', 'cache'),
    NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url,
    NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token,
    FORCE_COLOR: '0',
  };
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [nxBin, 'run', 'lib:make', '--output-style=static', ...extraArgs], { cwd: root, env });
  return stdout + stderr;
}

/** A fresh machine: no local Nx cache, no workspace data, no outputs. */
function wipeLocalState(): void {
  rmSync(join(root, '.nx'), { recursive: true, force: true });
  rmSync(join(root, 'dist'), { recursive: true, force: true });
}

const output = () => readFileSync(join(root, 'dist/lib/out.txt'), 'utf8');
const storedEntries = () => readdirSync(join(cacheDir, 'entries'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;

describe('the Nx client against nx-cache-server', () => {
  it('uploads a task run with a read-write token, and a machine without local cache gets it as a remote hit', async () => {
    const first = await runMake(RW);
    expect(first).not.toMatch(/cache\]/);
    const built = output();
    expect(storedEntries()).toBe(1);

    wipeLocalState();
    const second = await runMake(RO);
    expect(second).toMatch(/nx run lib:make +\[remote cache\]/);
    expect(output()).toBe(built);
  });

  it('takes a 409 for an entry another runner uploaded first without failing the run', async () => {
    // The task itself plays the other runner: it uploads under its own hash (NX_TASK_HASH) before Nx stores it.
    writeFile('libs/lib/input.txt', 'race\n');
    writeFile(
      'libs/lib/race.js',
      `fetch(process.env.NX_SELF_HOSTED_REMOTE_CACHE_SERVER + '/v1/cache/' + process.env.NX_TASK_HASH, {
        method: 'PUT', body: 'first', headers: { authorization: 'Bearer ' + process.env.NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN },
      }).then((answer) => console.log('other runner: HTTP ' + answer.status));`,
    );
    const before = storedEntries();
    const run = await runMake(RW, ['--configuration=race']);
    expect(run).toMatch(/other runner: HTTP 200/);
    expect(run).toMatch(/Successfully ran target make/);
    expect(storedEntries()).toBe(before + 1);
    expect(readFileSync(join(root, 'server.log'), 'utf8')).toMatch(/"statusCode":409/);
  });

  it('with a read-only token runs and succeeds but stores nothing', async () => {
    writeFile('libs/lib/input.txt', 'v2\n');
    const before = storedEntries();
    const run = await runMake(RO);
    expect(run).not.toMatch(/cache\]/);
    expect(output()).toMatch(/^v2/);
    expect(storedEntries()).toBe(before);

    wipeLocalState();
    expect(await runMake(RO)).not.toMatch(/cache\]/);
  });

  it('with an unknown token stops with the message the server gives', async () => {
    writeFile('libs/lib/input.txt', 'v3\n');
    wipeLocalState();
    // Nx treats a 401 as a misconfiguration and ends the command; it shows the text/plain body as it is.
    await expect(runMake('unknown-token-0000000000')).rejects.toThrow(/missing or unknown access token: set NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN/);
  });
});
