import { rmSync } from 'node:fs';
import { composeDown } from './compose-stack';
import { readStackState, WORKSPACE_ROOT } from './stack-state';

/** `down --volumes` for the stack global setup started; a running stack given by URLs is never touched. */
export default async function globalTeardown(): Promise<void> {
  let state;
  try {
    state = readStackState();
  } catch {
    return; // global setup failed before starting anything (or cleaned up itself)
  }
  if (state.mode !== 'compose' || !state.composeProject || !state.composeFiles) return;
  if (state.keepStack) {
    console.log(`stack-e2e: E2E_KEEP_STACK=1: left ${state.composeProject} running; end it with ` +
      `docker compose -p ${state.composeProject} ${state.composeFiles.map((f) => `-f ${f}`).join(' ')} down -v`);
    return;
  }
  await composeDown({ name: state.composeProject, files: state.composeFiles, cwd: WORKSPACE_ROOT, env: state.composeEnv ?? {} });
  if (state.secretsDir) rmSync(state.secretsDir, { recursive: true, force: true });
  console.log(`stack-e2e: ${state.composeProject} down (volumes removed)`);
}
