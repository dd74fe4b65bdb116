import { execFile } from 'node:child_process';

/** The suite's one way to start a process: an argument array (no shell), output captured, errors composed. */
export interface CommandResult {
  stdout: string;
  stderr: string;
}

export function runCommand(
  file: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      [...args],
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const tail = `${stderr}`.trim().split('\n').slice(-30).join('\n');
          reject(new Error(`command failed (${error.code ?? error.signal}): ${file} ${args.join(' ')}\n${tail}`, { cause: error }));
          return;
        }
        resolve({ stdout: `${stdout}`, stderr: `${stderr}` });
      },
    );
    // Secrets (a password for the CLI) go on stdin, never into the argument list `ps` shows.
    if (options.input !== undefined) {
      // A child that exits without reading it must not turn into an EPIPE here; its exit status tells.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.input);
    }
  });
}
