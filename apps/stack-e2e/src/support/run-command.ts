import { execFile } from 'node:child_process';

/** The suite's one way to start a process: an argument array (no shell), output captured, errors composed. */
export interface CommandResult {
  stdout: string;
  stderr: string;
}

export function runCommand(
  file: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
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
  });
}
