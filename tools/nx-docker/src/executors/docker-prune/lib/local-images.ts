import { execa } from 'execa';
import { DockerError } from '../../../core/errors';
import type { StoredTag } from '../../../core/prune/plan-prune';

/*
 * The docker calls of docker-prune. They belong in core/docker/docker-cli.ts (the one module that starts
 * processes); they live here only until the plan/run refactor of that module lands (issue 10), then move.
 */

export type Env = Readonly<Record<string, string | undefined>>;

const listFormat = '{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedAt}}';

/** `2026-12-01 21:40:05 +0000 UTC` (Go's time format in `docker image ls`) to milliseconds. */
export function parseCreatedAt(text: string): number {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})/.exec(text.trim());
  return match ? Date.parse(`${match[1]}T${match[2]}${match[3]}:${match[4]}`) : Number.NaN;
}

/** Lines of `docker image ls --format <listFormat>`; untagged (`<none>`) entries are not tags. */
export function parseImageListing(output: string): StoredTag[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t'))
    .filter(([repository, tag]) => repository !== '<none>' && tag !== '<none>')
    .map(([repository, tag, id, createdAt]) => ({ repository, tag, id, createdAt: parseCreatedAt(createdAt ?? '') }));
}

export async function listLocalTags(env: Env): Promise<StoredTag[]> {
  const result = await execa('docker', ['image', 'ls', '--format', listFormat], { env, extendEnv: false, reject: false });
  if (result.exitCode !== 0) throw new DockerError('command-failed', `docker image ls: ${String(result.stderr).trim()}`);
  return parseImageListing(String(result.stdout));
}

/** Untags `ref`; the image itself goes only when no tag and no container is left on it. */
export async function untagLocal(ref: string, env: Env): Promise<string | undefined> {
  const result = await execa('docker', ['image', 'rm', ref], { env, extendEnv: false, reject: false });
  return result.exitCode === 0 ? undefined : String(result.stderr).trim();
}
