import { composeArgs } from '../support/compose-stack';
import { runCommand } from '../support/run-command';
import { itWhen, state } from '../support/stack-test';
import { WORKSPACE_ROOT } from '../support/stack-state';

/**
 * One network per tier: from inside the frontend container, backend-api answers and neither the database nor
 * pose-service can even be resolved. Only for the stack this suite composed (it needs `docker compose exec`).
 */
const notComposed = state.mode === 'compose' ? undefined : 'needs the stack this suite composes (docker compose exec)';

const project = { name: state.composeProject ?? '', files: state.composeFiles ?? [], cwd: WORKSPACE_ROOT, env: state.composeEnv ?? {} };

async function exec(service: string, ...command: string[]): Promise<string> {
  const { stdout } = await runCommand('docker', composeArgs(project, 'exec', '-T', service, ...command), {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, ...project.env },
  });
  return stdout.trim();
}

async function connectFromFrontend(host: string, port: number): Promise<string> {
  const script =
    `const s = require('node:net').connect(${port}, '${host}');` +
    `s.setTimeout(5000, () => { console.log('timeout'); process.exit(0); });` +
    `s.on('connect', () => { console.log('connected'); s.destroy(); });` +
    `s.on('error', (e) => console.log(e.code));`;
  return exec('frontend', 'node', '-e', script);
}

describe('network tiers', () => {
  itWhen(notComposed, 'the frontend reaches backend-api', async () => {
    expect(await connectFromFrontend('backend-api', 3001)).toBe('connected');
  });

  itWhen(notComposed, 'the frontend cannot reach the database or pose-service', async () => {
    expect(await connectFromFrontend('mongodb', 27017)).toMatch(/ENOTFOUND|EAI_AGAIN|timeout/);
    expect(await connectFromFrontend('pose-service', 5000)).toMatch(/ENOTFOUND|EAI_AGAIN|timeout/);
  });
});

describe('volumes', () => {
  itWhen(notComposed, 'pose-service (user app) can write its model-cache volume', async () => {
    const probe = "import pathlib; p = pathlib.Path('/home/app/.cache/.e2e-probe'); p.write_text('ok'); print(p.read_text())";
    expect(await exec('pose-service', '/opt/venv/bin/python', '-c', probe)).toBe('ok');
  });
});
