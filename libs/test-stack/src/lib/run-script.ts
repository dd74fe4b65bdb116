import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { workspaceRoot } from './workspace-paths';

/** Runs one of tools/scripts/*.sh with an argument array; the error carries the script's own message. */
export async function runWorkspaceScript(script: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('bash', [join(workspaceRoot, 'tools/scripts', script), ...args], { cwd: workspaceRoot });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`tools/scripts/${script} ${args.join(' ')} failed: ${stderr.trim() || (error as Error).message}`, { cause: error });
  }
}

const isOnPath = (command: string) =>
  (process.env.PATH ?? '').split(':').some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/** Why a suite that needs `command` cannot run here (printed by the skipped test), or undefined when it can. */
export function missingCommandReason(command: string, remedy: string): string | undefined {
  return isOnPath(command) ? undefined : `${command} is not installed (${remedy})`;
}
