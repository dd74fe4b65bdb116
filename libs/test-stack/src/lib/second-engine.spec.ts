import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { secondEngineSkipReason, startSecondEngine, type SecondEngine } from './second-engine';

const skipReason = secondEngineSkipReason();
const docker = (args: string[], env: NodeJS.ProcessEnv = process.env) => promisify(execFile)('docker', args, { env }).then(({ stdout }) => stdout.trim());

(skipReason ? describe.skip : describe)('startSecondEngine', () => {
  let dir: string;
  let engine: SecondEngine | undefined;

  beforeAll(() => {
    dir = mkdtempSync('/tmp/pstk-engine-');
  });
  afterAll(async () => {
    await engine?.wipe();
  });

  it('runs an engine with its own store beside the main one, and stops it again', async () => {
    engine = await startSecondEngine({ dir });
    expect(engine.dockerHost).toBe(`unix://${dir}/docker.sock`);
    expect(await docker(['info', '--format', '{{.DockerRootDir}}'], engine.env)).toBe(join(dir, 'data'));
    expect(await docker(['image', 'ls', '-q'], engine.env)).toBe('');
    expect(await docker(['info', '--format', '{{.DockerRootDir}}'])).not.toBe(join(dir, 'data'));
    // Its bridge is its own device: the main engine's docker0 is still there and still the main engine's.
    const bridge = await docker(['network', 'inspect', 'bridge', '--format', '{{index .Options "com.docker.network.bridge.name"}}'], engine.env);
    expect(bridge).toMatch(/^pstk-[0-9a-f]{8}$/);
    expect(await docker(['network', 'inspect', 'bridge', '--format', '{{index .Options "com.docker.network.bridge.name"}}'])).toBe('docker0');
    await expect(promisify(execFile)('ip', ['link', 'show', 'docker0'])).resolves.toBeDefined();

    await engine.stop();
    expect(existsSync(join(dir, 'docker.sock'))).toBe(false);
    await engine.wipe();
    expect(existsSync(dir)).toBe(false);
    engine = undefined;
  });

  it('moves a derived bridge /24 that another engine already has to a free one', async () => {
    // Two folders whose names hash to the same derived 10.213.N.0/24 (second-engine.sh: the first byte of sha1(DIR)).
    const derived = (path: string) => createHash('sha1').update(path).digest()[0];
    const first = mkdtempSync('/tmp/pstk-engine-');
    let second = '';
    for (let i = 0; !second; i += 1) if (derived(`${first}-${i}`) === derived(first)) second = `${first}-${i}`;
    mkdirSync(second);
    const engines: SecondEngine[] = [];
    try {
      engines.push(await startSecondEngine({ dir: first }));
      engines.push(await startSecondEngine({ dir: second }));
      const [a, b] = [first, second].map((path) => readFileSync(join(path, 'bridge'), 'utf8').trim());
      expect(a).toMatch(/^10\.213\.\d+\.0\/24$/);
      expect(b).toMatch(/^10\.213\.\d+\.0\/24$/);
      expect(b).not.toBe(a);
    } finally {
      for (const started of engines) await started.wipe();
      rmSync(first, { recursive: true, force: true });
      rmSync(second, { recursive: true, force: true });
    }
  });
});

if (skipReason) console.log(`startSecondEngine suite skipped: ${skipReason}`);
