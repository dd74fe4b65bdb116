import { findFreePort } from './free-port';
import { startManagedProcess } from './managed-process';
import { waitForHttp, waitForOutput, type ReadinessProbe } from './readiness';

const probeOf = (output: string, hasExited: boolean): ReadinessProbe => ({ output: () => output, hasExited: () => hasExited });

describe('waitForOutput', () => {
  it('returns the match once the output has it', async () => {
    const match = await waitForOutput(probeOf('starting\nready mongodb://127.0.0.1:41234/\n', false), /ready mongodb:\/\/[^\s/:]+:(\d+)/);
    expect(match[1]).toBe('41234');
  });

  it('rejects when the process has exited without the line', async () => {
    await expect(waitForOutput(probeOf('panic: no data dir', true), /ready/)).rejects.toThrow('the process exited before its output matched /ready/');
  });
});

describe('waitForHttp', () => {
  it('rejects at once when the process has exited', async () => {
    await expect(waitForHttp(probeOf('', true), 'http://127.0.0.1:9/health')).rejects.toThrow(/exited while waiting for http:\/\/127\.0\.0\.1:9\/health/);
  });

  it('waits until a real server answers with an accepted status', async () => {
    const port = await findFreePort();
    // Answers 503 for the first second (like a service still loading), then 200.
    const script = `const started = Date.now();
      require('http').createServer((req, res) => { res.statusCode = Date.now() - started < 1000 ? 503 : 200; res.end(); })
        .listen(${port}, '127.0.0.1');`;
    const seen: number[] = [];
    const server = await startManagedProcess({
      name: 'http child',
      command: process.execPath,
      args: ['-e', script],
      waitUntilReady: (probe) =>
        waitForHttp(probe, `http://127.0.0.1:${port}/health`, (status) => (seen.push(status), status === 200)),
      readyTimeoutMs: 10_000,
    });
    try {
      expect(seen).toContain(503);
      expect(seen.at(-1)).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
