import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { composeArgs, composeExec } from '../support/compose-stack';
import { runCommand } from '../support/run-command';
import { WORKSPACE_ROOT } from '../support/stack-state';
import { backendAuth, given, itWhen, missing, poseAuth, state } from '../support/stack-test';

/**
 * The attacks of issue 14, against the real composed stack: no credentials, a viewer writing, a revoked token,
 * a cross-origin POST, a foreign Host; then what `docker inspect` says about every container, and where the
 * secrets must not appear (container environment, logs, image history, API answers).
 */
const { urls } = state;
const notComposed = state.mode === 'compose' ? undefined : 'needs the stack this suite composes (docker compose exec, docker inspect)';
const project = { name: state.composeProject ?? '', files: state.composeFiles ?? [], cwd: WORKSPACE_ROOT, env: state.composeEnv ?? {} };
const ID = '65f0c0ffee0000000000abcd';
/** backend-api's documented operations but the public ones (/health, sign-in), from its committed openapi.json. */
const openapi = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'apps/backend-api/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
};
const BACKEND_ROUTES = Object.entries(openapi.paths).flatMap(([path, operations]) =>
  Object.entries(operations)
    .filter(([, operation]) => operation.security?.length !== 0)
    .map(([method]) => [method.toUpperCase(), path.replace('{id}', ID)] as const),
);
/** Capabilities a service may add back after cap_drop ALL (docker-compose.yml says why). */
const ALLOWED_CAPS: Record<string, string[]> = { 'model-cache-init': ['CHOWN'] };

const cli = (...args: string[]) => composeExec(project, 'backend-api', ['node', 'cli/main.js', ...args]);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** node:http, because fetch may not set Host. */
function getWithHost(url: string, host: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { ...headers, host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

async function docker(...args: string[]): Promise<string> {
  return (await runCommand('docker', args, { cwd: WORKSPACE_ROOT, env: { ...process.env, ...project.env } })).stdout;
}

describe('access control', () => {
  itWhen(missing({ backend: urls.backend }), 'backend-api: 401 on every route without credentials', async () => {
    for (const [method, path] of BACKEND_ROUTES) {
      const response = await fetch(`${urls.backend}${path}`, { method });
      expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} 401`);
    }
  });

  itWhen(missing({ poseService: urls.poseService }), 'pose-service: 401 on every route without the service token', async () => {
    for (const [method, path] of [['GET', '/health'], ['GET', '/v1/models'], ['POST', '/v1/pose'], ['POST', '/v1/pose/video']]) {
      const anonymous = await fetch(`${urls.poseService}${path}`, { method });
      const guessed = await fetch(`${urls.poseService}${path}`, { method, headers: bearer('a'.repeat(64)) });
      expect([path, anonymous.status, guessed.status]).toEqual([path, 401, 401]);
    }
    expect((await fetch(`${urls.poseService}/health`, { headers: poseAuth() })).status).toBe(200);
  });

  itWhen(notComposed, 'a viewer cannot write (403); a revoked token stops working at once', async () => {
    const viewer = bearer(await cli('tokens', 'create', '--name', 'e2e-viewer', '--role', 'viewer'));
    expect((await fetch(`${urls.backend}/api/analyses`, { headers: viewer })).status).toBe(200);
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('x')], { type: 'image/png' }), 'x.png');
    expect((await fetch(`${urls.backend}/api/analyses`, { method: 'POST', body: form, headers: viewer })).status).toBe(403);
    expect((await fetch(`${urls.backend}/api/analyses/${ID}`, { method: 'DELETE', headers: viewer })).status).toBe(403);
    await cli('tokens', 'revoke', 'e2e-viewer');
    expect((await fetch(`${urls.backend}/api/analyses`, { headers: viewer })).status).toBe(401);
  });

  itWhen(missing({ backend: urls.backend, frontend: urls.frontend }), 'a cross-origin POST is refused by the page server and by backend-api', async () => {
    const evil = { origin: 'http://evil.example' };
    const login = await fetch(`${urls.frontend}/auth/login`, {
      method: 'POST',
      headers: { ...evil, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'stack-e2e', password: 'x' }),
    });
    expect(login.status).toBe(403);
    expect((await fetch(`${urls.frontend}/api/analyses/${ID}/retry`, { method: 'POST', headers: { ...evil, ...backendAuth() } })).status).toBe(403);
    expect((await fetch(`${urls.backend}/api/analyses/${ID}/retry`, { method: 'POST', headers: { ...evil, ...backendAuth() } })).status).toBe(403);
  });

  itWhen(missing({ backend: urls.backend, frontend: urls.frontend }), 'a foreign Host is refused (421): DNS rebinding', async () => {
    expect(await getWithHost(`${urls.backend}/api/analyses`, 'attacker.example', backendAuth())).toBe(421);
    expect(await getWithHost(`${urls.frontend}/`, 'attacker.example', {})).toBe(421);
  });

  itWhen(missing({ backend: urls.backend }), 'security headers on the API and on stored media', async () => {
    const response = await fetch(`${urls.backend}/api/analyses`, { headers: backendAuth() });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
  });
});

describe('hardened containers', () => {
  itWhen(notComposed, 'every container: cap_drop ALL, no-new-privileges, read-only root filesystem', async () => {
    const ids = (await docker(...composeArgs(project, 'ps', '--all', '--quiet'))).split('\n').filter(Boolean);
    const containers = JSON.parse(await docker('inspect', ...ids)) as Array<{
      Config: { Labels: Record<string, string> };
      HostConfig: { CapDrop: string[] | null; CapAdd: string[] | null; SecurityOpt: string[] | null; ReadonlyRootfs: boolean };
    }>;
    const report = containers.map((c) => ({
      service: c.Config.Labels['com.docker.compose.service'],
      capDrop: c.HostConfig.CapDrop,
      capAdd: (c.HostConfig.CapAdd ?? []).filter((cap) => !(ALLOWED_CAPS[c.Config.Labels['com.docker.compose.service']] ?? []).includes(cap)),
      securityOpt: c.HostConfig.SecurityOpt,
      readOnly: c.HostConfig.ReadonlyRootfs,
    }));
    console.log(`docker inspect: ${JSON.stringify(report)}`);
    expect(report.length).toBeGreaterThanOrEqual(6);
    for (const entry of report) {
      expect(entry).toEqual({ service: entry.service, capDrop: ['ALL'], capAdd: [], securityOpt: ['no-new-privileges:true'], readOnly: true });
    }
  });

  itWhen(notComposed, 'no secret in a container environment, a log line, an image layer or an API answer', async () => {
    const dir = given(state.secretsDir, 'secretsDir');
    const secrets = [...readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8')), given(state.backendToken, 'backendToken')];
    const ids = (await docker(...composeArgs(project, 'ps', '--all', '--quiet'))).split('\n').filter(Boolean);
    const inspected = await docker('inspect', ...ids);
    const images = [...new Set((JSON.parse(inspected) as Array<{ Image: string }>).map((c) => c.Image))];
    const places = {
      'docker inspect': inspected,
      'docker compose logs': await docker(...composeArgs(project, 'logs', '--no-color')),
      // Every layer's command line (build args and ENV would show here).
      'docker history': (await Promise.all(images.map((image) => docker('history', '--no-trunc', '--format', '{{.CreatedBy}}', image)))).join('\n'),
      'image config': await docker('image', 'inspect', ...images),
      'GET /api/auth/me': await (await fetch(`${urls.backend}/api/auth/me`, { headers: backendAuth() })).text(),
    };
    for (const [place, text] of Object.entries(places)) {
      for (const secret of secrets) expect(`${place}: ${text.includes(secret) ? 'has a secret' : 'clean'}`).toBe(`${place}: clean`);
    }
  });
});
