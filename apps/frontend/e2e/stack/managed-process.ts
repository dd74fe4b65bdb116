import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface ManagedProcess {
  readonly name: string;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** stdout and stderr go here, so a failed run can be diagnosed from the CI artefacts. */
  readonly logFile: string;
  /** Resolves when the process is ready (e.g. a health URL answers); gets the output so far. */
  readonly waitUntilReady: (output: () => string, exited: () => boolean) => Promise<void>;
  readonly readyTimeoutMs: number;
}

/** Starts a child in its own process group and waits for readiness; on any failure it is stopped again. */
export async function startManagedProcess(options: StartOptions): Promise<ManagedProcess> {
  const log = createWriteStream(options.logFile);
  let output = '';
  const child: ChildProcess = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let hasExited = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => ((hasExited = true), resolve())));
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      log.write(chunk);
    });
  }

  const managed: ManagedProcess = {
    name: options.name,
    async stop(graceMs = 5000) {
      if (!hasExited && child.pid !== undefined) {
        signalGroup(child.pid, 'SIGTERM');
        const timer = setTimeout(() => child.pid !== undefined && signalGroup(child.pid, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      log.end();
    },
  };

  let timeout: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      options.waitUntilReady(() => output, () => hasExited),
      exited.then(() => {
        throw new Error(`${options.name} exited before it was ready; see ${options.logFile}:\n${output.slice(-2000)}`);
      }),
      new Promise<never>((_, reject) => {
        timeout = setTimeout(
          () => reject(new Error(`${options.name} was not ready after ${options.readyTimeoutMs} ms; see ${options.logFile}`)),
          options.readyTimeoutMs,
        );
      }),
    ]);
  } catch (error) {
    await managed.stop();
    throw error;
  } finally {
    clearTimeout(timeout);
  }
  return managed;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Polls `url` until its status passes `isAccepted` (default: any answer below 500) or the process exits. */
export async function waitForHttp(url: string, exited: () => boolean, isAccepted: (status: number) => boolean = (s) => s < 500): Promise<void> {
  while (!exited()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (isAccepted(response.status)) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
