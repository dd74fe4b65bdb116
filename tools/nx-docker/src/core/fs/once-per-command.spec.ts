import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimOncePerCommand, commandIdEnvName, removeStaleCommandMarks } from './once-per-command';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nx-docker-once-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const id = '0f0e0d0c-0b0a-4908-8706-050403020100';

it('lets the first claim of a command win, per thing claimed, and every claim of another command', () => {
  const env = { [commandIdEnvName]: id };
  expect(claimOncePerCommand(dir, env, 'record-read-only')).toBe(true);
  expect(claimOncePerCommand(dir, env, 'record-read-only')).toBe(false);
  expect(claimOncePerCommand(dir, env, 'record-off')).toBe(true);
  expect(claimOncePerCommand(dir, { [commandIdEnvName]: id.replace('0f', '1f') }, 'record-read-only')).toBe(true);
});

it('always claims without a well-formed command id (a warning too many, never one missing)', () => {
  expect(claimOncePerCommand(dir, {}, 'x')).toBe(true);
  expect(claimOncePerCommand(dir, {}, 'x')).toBe(true);
  expect(claimOncePerCommand(dir, { [commandIdEnvName]: '../../etc' }, 'x')).toBe(true);
  expect(claimOncePerCommand(dir, { [commandIdEnvName]: id }, '../x')).toBe(true);
  expect(existsSync(join(dir, 'etc'))).toBe(false);
});

it('removes the marks of old commands only', () => {
  const old = id.replace('0f', '2f');
  mkdirSync(join(dir, old));
  mkdirSync(join(dir, id));
  const dayAgo = (Date.now() - 25 * 3600 * 1000) / 1000;
  utimesSync(join(dir, old), dayAgo, dayAgo);
  removeStaleCommandMarks(dir);
  expect(existsSync(join(dir, old))).toBe(false);
  expect(existsSync(join(dir, id))).toBe(true);
  removeStaleCommandMarks(join(dir, 'missing'));
});
