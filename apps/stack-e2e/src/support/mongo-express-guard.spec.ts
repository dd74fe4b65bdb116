import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './stack-state';

const GUARD = join(WORKSPACE_ROOT, 'docker/mongo-express/check-login.mjs');
const random = 'f'.repeat(32);

/** The guard compose runs before Mongo Express (profile admin), run the same way: node, a password file, env. */
function runGuard(password: string, env: Record<string, string>): { status: number; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'me-guard-'));
  try {
    writeFileSync(join(dir, 'me_password'), password);
    const output = execFileSync(process.execPath, [GUARD, join(dir, 'me_password')], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', stdio: 'pipe' });
    return { status: 0, output };
  } catch (error) {
    const failed = error as { status: number; stderr: string };
    return { status: failed.status, output: failed.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('mongo-express guard (docker/mongo-express/check-login.mjs)', () => {
  const secrets = { ME_USER: 'admin', ME_COOKIE_SECRET: random, ME_SESSION_SECRET: random };

  it.each([['change-me'], ['short-password'], ['']])('refuses the password %j, naming why', (password) => {
    const { status, output } = runGuard(password, secrets);
    expect(status).toBe(1);
    expect(output).toMatch(/example one|at least 16 are required/);
  });

  it("refuses .env.example's cookie and session secrets", () => {
    const { status, output } = runGuard('a'.repeat(20), { ME_USER: 'admin', ME_COOKIE_SECRET: 'change-me-cookie-secret', ME_SESSION_SECRET: 'x' });
    expect(status).toBe(1);
    expect(output).toMatch(/ME_COOKIE_SECRET[\s\S]*ME_SESSION_SECRET/);
  });

  it('lets a random login through', () => {
    expect(runGuard('a'.repeat(20), secrets).status).toBe(0);
  });
});
