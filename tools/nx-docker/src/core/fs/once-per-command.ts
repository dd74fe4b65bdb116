import { closeSync, mkdirSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * "Warn once per nx command" across docker-build tasks, each of which Nx runs in a process of its own: the
 * presence probe (preTasksExecution) names the command with a fresh id in this variable, and the first task to
 * create `<dir>/<id>/<what>` (O_EXCL) is the one that warns. Without an id (an executor started some other
 * way) every claim succeeds: a warning too many, never one missing.
 */
export const commandIdEnvName = 'NX_DOCKER_COMMAND_ID';

const idPattern = /^[0-9a-f-]{36}$/;

/** In Nx's workspace data folder, beside the plugin's caches. */
export const commandMarksDirectory = (workspaceDataDirectory: string) => join(workspaceDataDirectory, 'nx-docker-once');

export function claimOncePerCommand(dir: string, env: Readonly<Record<string, string | undefined>>, what: string): boolean {
  const id = env[commandIdEnvName];
  if (!id || !idPattern.test(id) || !/^[a-z0-9-]+$/.test(what)) return true;
  try {
    mkdirSync(join(dir, id), { recursive: true });
    closeSync(openSync(join(dir, id, what), 'wx'));
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'EEXIST';
  }
}

/** Removes the marks of commands older than `maxAgeMs` (run by the presence probe, which starts each command). */
export function removeStaleCommandMarks(dir: string, now = Date.now(), maxAgeMs = 24 * 3600 * 1000): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!idPattern.test(entry)) continue;
    try {
      if (now - statSync(join(dir, entry)).mtimeMs > maxAgeMs) rmSync(join(dir, entry), { recursive: true, force: true });
    } catch {
      // Another command removed it first.
    }
  }
}
