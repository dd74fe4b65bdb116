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

const segmentsOf = (path: string) => path.split('/').filter((segment) => segment !== '' && segment !== '.');
const hasWildcard = (segment: string) => /[*?[\\]/.test(segment);

/**
 * Whether a `!` pattern could re-include something strictly below the ignored directory `dir`, the way
 * Docker's own walker decides to descend into an excluded directory: the pattern's leading segments must
 * follow `dir`'s, and a wildcard segment on the way may match anything. A pattern that ends at `dir` or
 * above re-includes nothing below an ignored `dir` (a later pattern ignored it).
 */
export function canReincludeBelow(dir: string, exception: string): boolean {
  const pattern = segmentsOf(exception.slice(1));
  const path = segmentsOf(dir);
  for (let index = 0; index < pattern.length; index++) {
    if (hasWildcard(pattern[index])) return true;
    if (index >= path.length) return true;
    if (pattern[index] !== path[index]) return false;
  }
  return false;
}

/**
 * The files Docker sends for `contextDir` given .dockerignore `patterns`, as sorted POSIX paths relative to
 * it. An ignored directory is not walked unless a `!` pattern could re-include something below it, so an
 * ignored `node_modules` or `.git` costs nothing even in a `*` + `!dist/app` context.
 */
export function listIncludedFiles(contextDir: string, patterns: readonly string[]): string[] {
  const matcher = dockerignore().add([...patterns]);
  const exceptions = patterns.filter((pattern) => pattern.startsWith('!'));
  const sent: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const absolute = join(dir, entry.name);
      const path = relative(contextDir, absolute).split('\\').join('/');
      if (entry.isDirectory()) {
        if (matcher.ignores(path) && !exceptions.some((exception) => canReincludeBelow(path, exception))) continue;
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
  return listIncludedFiles(contextDir, ignoreFile ? parseDockerignore(readFileSync(ignoreFile, 'utf8')) : []);
}
