import { readFileSync } from 'node:fs';
import { sha256 } from '../content-key';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { parseDockerfile, type ParsedDockerfile } from './parse-dockerfile';

/**
 * Parses by content: a Dockerfile (with the same build args) that was parsed before, in this process or, with a
 * `path`, in an earlier one, is not parsed again. The graph reads every Dockerfile on every nx command, and
 * without the daemon each command is a fresh process. Only the entries used in this process are saved, so
 * edited Dockerfiles leave nothing behind.
 */
/** Part of every key: bumped when parseDockerfile reads a text differently, so no earlier parse is reused. */
const PARSER_VERSION = 2; // 2: a stage picked by a platform ARG (`FROM root-${TARGETARCH}`)

export class ParsedDockerfiles {
  private readonly stored = new Map<string, ParsedDockerfile>();
  private readonly used = new Map<string, ParsedDockerfile>();
  private isDirty = false;

  constructor(private readonly path?: string) {
    if (!path) return;
    try {
      this.stored = new Map(Object.entries(JSON.parse(readFileSync(path, 'utf8')) as Record<string, ParsedDockerfile>));
    } catch {
      // No cache yet, or an unreadable one: every Dockerfile is parsed, which is only slower.
    }
  }

  parse(text: string, buildArgs: Readonly<Record<string, string>>): ParsedDockerfile {
    const key = sha256(JSON.stringify([PARSER_VERSION, text, Object.entries(buildArgs).sort(([a], [b]) => (a < b ? -1 : 1))]));
    let parsed = this.used.get(key) ?? this.stored.get(key);
    if (!parsed) {
      parsed = parseDockerfile(text, buildArgs);
      this.isDirty = true;
    }
    this.used.set(key, parsed);
    return parsed;
  }

  /** Writes when something was parsed, or when stored entries went unused (all hits means used ⊆ stored). */
  save(): void {
    if (!this.path || (!this.isDirty && this.used.size === this.stored.size)) return;
    writeFileAtomic(this.path, JSON.stringify(Object.fromEntries(this.used)));
    this.isDirty = false;
  }
}
