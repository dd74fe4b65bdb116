import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startManagedProcess, type StartProcessOptions } from './managed-process';
import { waitForOutput } from './readiness';

// Real `node -e` children; no mocks.
const node = (script: string, name = 'child'): Pick<StartProcessOptions, 'name' | 'command' | 'args'> => ({
  name,
  command: process.execPath,
  args: ['-e', script],
});
const untilReadyLine = { waitUntilReady: async (probe: Parameters<StartProcessOptions['waitUntilReady']>[0]) => void (await waitForOutput(probe, /ready/)), readyTimeoutMs: 5000 };
const KEEP_ALIVE = 'setInterval(() => {}, 1000);';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

describe('startManagedProcess', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'test-stack-spec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves once the readiness check passes and stops the process with SIGTERM', async () => {
    const child = await startManagedProcess({ ...node(`setTimeout(() => console.log('ready'), 200); ${KEEP_ALIVE}`), ...untilReadyLine });
    expect(child.output()).toContain('ready');
    expect(child.hasExited()).toBe(false);
    await child.stop();
    expect(child.hasExited()).toBe(true);
  });

  it('kill() ends the process with SIGKILL: its SIGTERM handler never runs', async () => {
    const script = `process.on('SIGTERM', () => console.log('graceful')); console.log('ready'); ${KEEP_ALIVE}`;
    const child = await startManagedProcess({ ...node(script), ...untilReadyLine });
    await child.kill();
    expect(child.hasExited()).toBe(true);
    expect(child.output()).not.toContain('graceful');
  });

  it('rejects with the exit code and the output tail when the process exits before it is ready', async () => {
    await expect(
      startManagedProcess({ ...node(`console.error('config is broken'); process.exit(3)`, 'broken'), ...untilReadyLine }),
    ).rejects.toThrow(/^broken \(.*\) exited with code 3 before it was ready:\n[\s\S]*config is broken/);
  });

  it('names a command that cannot be started', async () => {
    await expect(
      startManagedProcess({ name: 'ghost', command: join(dir, 'no-such-binary'), args: [], ...untilReadyLine }),
    ).rejects.toThrow(/ghost .* could not be started \(spawn .*ENOENT\)/);
  });

  it('stops the process again when it is not ready in time', async () => {
    const pidFile = join(dir, 'pid');
    await expect(
      startManagedProcess({
        ...node(`require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); ${KEEP_ALIVE}`, 'slow'),
        waitUntilReady: (probe) => waitForOutput(probe, /never printed/).then(() => undefined),
        readyTimeoutMs: 500,
      }),
    ).rejects.toThrow(/^slow .* was not ready after 500 ms/);
    expect(isAlive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('escalates to SIGKILL after the grace period when SIGTERM is ignored', async () => {
    const child = await startManagedProcess({ ...node(`process.on('SIGTERM', () => {}); console.log('ready'); ${KEEP_ALIVE}`), ...untilReadyLine });
    const started = Date.now();
    await child.stop(300);
    expect(child.hasExited()).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('stops the whole process group, grandchildren included', async () => {
    const grandchild = `require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(KEEP_ALIVE)}], { stdio: 'ignore' })`;
    const child = await startManagedProcess({
      ...node(`const g = ${grandchild}; console.log('ready ' + g.pid); ${KEEP_ALIVE}`),
      waitUntilReady: (probe) => waitForOutput(probe, /ready \d+/).then(() => undefined),
      readyTimeoutMs: 5000,
    });
    const grandchildPid = Number(/ready (\d+)/.exec(child.output())?.[1]);
    expect(isAlive(grandchildPid)).toBe(true);
    await child.stop();
    expect(await waitUntilGone(grandchildPid)).toBe(true);
  });

  it('writes the output to the log file, appending when asked', async () => {
    const logFile = join(dir, 'child.log');
    const first = await startManagedProcess({ ...node(`console.log('ready one'); ${KEEP_ALIVE}`), logFile, ...untilReadyLine });
    await first.stop();
    const second = await startManagedProcess({ ...node(`console.log('ready two'); ${KEEP_ALIVE}`), logFile, isLogAppended: true, ...untilReadyLine });
    await second.stop();
    expect(readFileSync(logFile, 'utf8')).toBe('ready one\nready two\n');
  });

  it('can be stopped twice', async () => {
    const child = await startManagedProcess({ ...node(`console.log('ready'); ${KEEP_ALIVE}`), ...untilReadyLine });
    await Promise.all([child.stop(), child.stop()]);
    await child.stop();
    expect(child.hasExited()).toBe(true);
  });
});
