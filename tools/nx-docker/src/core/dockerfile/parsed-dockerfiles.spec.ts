import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParsedDockerfiles } from './parsed-dockerfiles';

describe('ParsedDockerfiles', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nx-docker-parsed-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same parse as a fresh one, keeps it across processes, and keeps only what was used', () => {
    const path = join(dir, 'parsed.json');
    const first = new ParsedDockerfiles(path);
    const a = first.parse('ARG B=posestack/a\nFROM $B\n', {});
    first.parse('FROM posestack/old\n', {});
    first.save();
    expect(a.imageRefs.map((ref) => ref.ref)).toEqual(['posestack/a']);
    const second = new ParsedDockerfiles(path);
    expect(second.parse('ARG B=posestack/a\nFROM $B\n', {})).toEqual(a);
    // Build args are part of the key.
    expect(second.parse('ARG B=posestack/a\nFROM $B\n', { B: 'posestack/b' }).imageRefs[0].ref).toBe('posestack/b');
    second.save();
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')))).toHaveLength(2);
  });
});
