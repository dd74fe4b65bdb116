import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import dockerignore from '@balena/dockerignore';


/**
 * Docker reads `<Dockerfile>.dockerignore` beside the Dockerfile first and falls back to the context's
 * `.dockerignore` (BuildKit dockerfile frontend 1.4+). Returns the file used, if any.
 */
export function findDockerignore(contextDir: string, dockerfile: string): string | undefined {
  const specific = join(dirname(dockerfile), `${basename(dockerfile)}.dockerignore`);
  if (existsSync(specific)) return specific;
  const general = join(contextDir, '.dockerignore');
  return existsSync(general) ? general : undefined;
}

/** Patterns of a .dockerignore file: comments and blank lines dropped, as Docker's reader does. */
export function parseDockerignore(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * The files Docker sends for `contextDir`, as sorted POSIX paths relative to it.
 * Directories are pruned while walking only when no `!` pattern could re-include something below them,
 * so an ignored `node_modules` costs nothing.
 */
export function listSentFiles(contextDir: string, patterns: readonly string[]): string[] {
  const matcher = dockerignore().add([...patterns]);
  const canReinclude = patterns.some((pattern) => pattern.startsWith('!'));
  const sent: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const absolute = join(dir, entry.name);
      const path = relative(contextDir, absolute).split('\\').join('/');
      if (entry.isDirectory()) {
        if (!canReinclude && matcher.ignores(path)) continue;
        walk(absolute);
      } else if (!matcher.ignores(path)) {
        sent.push(path);
      }
    }
  };
  walk(contextDir);
  return sent.sort();
}

/** The sent files of a context, reading its ignore file the way Docker does. */
export function listContextFiles(contextDir: string, dockerfile: string): string[] {
  const ignoreFile = findDockerignore(contextDir, dockerfile);
  return listSentFiles(contextDir, ignoreFile ? parseDockerignore(readFileSync(ignoreFile, 'utf8')) : []);
}
