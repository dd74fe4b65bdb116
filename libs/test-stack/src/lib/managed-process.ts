import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { ReadinessCheck, ReadinessProbe } from './readiness';

export interface StartProcessOptions {
  /** Names the process in error messages. */
  readonly name: string;
  readonly command: string;
  /** Passed as an array, never through a shell. */
  readonly args: readonly string[];
  readonly cwd?: string;
  /** The whole environment of the child (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
  /** stdout and stderr also go here, so a failed run can be diagnosed from the CI artefacts. */
  readonly logFile?: string;
  /** Append to `logFile` instead of truncating it (a restart of the same server). */
  readonly isLogAppended?: boolean;
  readonly waitUntilReady: ReadinessCheck;
  readonly readyTimeoutMs: number;
}

export interface ManagedProcess extends ReadinessProbe {
  readonly name: string;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL to the whole process group at once (a crash: no handler runs); resolves once it has exited. */
  kill(): Promise<void>;
}

/** Enough output to find a start-up line in; error messages show the last `ERROR_TAIL_CHARS` of it. */
const OUTPUT_LIMIT_CHARS = 64 * 1024;
const ERROR_TAIL_CHARS = 4000;
const DEFAULT_GRACE_MS = 5000;

/**
 * Starts a child in its own process group (so stopping it also stops what it started, e.g. uvicorn workers)
 * and waits for readiness; on any failure it is stopped again and the error carries the output's tail.
 */
export async function startManagedProcess(options: StartProcessOptions): Promise<ManagedProcess> {
  const log = options.logFile === undefined ? undefined : createWriteStream(options.logFile, { flags: options.isLogAppended ? 'a' : 'w' });
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exitReason: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitReason ??= code === null ? `was killed by ${signal}` : `exited with code ${code}`;
      resolve();
    });
    // A command that cannot be started (ENOENT, EACCES) emits 'error' and never 'exit'.
    child.on('error', (error) => {
      if (child.pid !== undefined) return;
      exitReason ??= `could not be started (${error.message})`;
      resolve();
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-OUTPUT_LIMIT_CHARS);
      log?.write(chunk);
    });
  }

  let stopping: Promise<void> | undefined;
  const managed: ManagedProcess = {
    name: options.name,
    output: () => output,
    hasExited: () => exitReason !== undefined,
    stop: (graceMs = DEFAULT_GRACE_MS) => (stopping ??= stopProcess(child.pid, () => exitReason !== undefined, exited, graceMs, log)),
    kill: () => (stopping ??= stopProcess(child.pid, () => exitReason !== undefined, exited, 0, log, 'SIGKILL')),
  };

  const describe = (what: string) => {
    const seeLog = options.logFile === undefined ? '' : `; see ${options.logFile}`;
    return `${options.name} (${options.command}) ${what}${seeLog}:\n${output.slice(-ERROR_TAIL_CHARS)}`;
  };
  const exitedEarly = () => new Error(describe(`${exitReason} before it was ready`));
  let timeout: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      options.waitUntilReady(managed).catch((error: unknown) => {
        const cause = error instanceof Error ? error.message : String(error);
        throw new Error(describe(`failed its readiness check (${cause})`), { cause: error });
      }),
      exited.then(() => Promise.reject(exitedEarly())),
      new Promise<never>((_, reject) => {
        timeout = setTimeout(() => reject(new Error(describe(`was not ready after ${options.readyTimeoutMs} ms`))), options.readyTimeoutMs);
      }),
    ]);
  } catch (error) {
    // A readiness check that gave up because the process died reports the exit, which says more.
    const failure = managed.hasExited() ? exitedEarly() : error;
    await managed.stop();
    throw failure;
  } finally {
    clearTimeout(timeout);
  }
  return managed;
}

async function stopProcess(
  pid: number | undefined,
  hasExited: () => boolean,
  exited: Promise<void>,
  graceMs: number,
  log: WriteStream | undefined,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (!hasExited() && pid !== undefined) {
    signalGroup(pid, signal);
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  if (log) await new Promise<void>((resolve) => log.end(resolve));
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
