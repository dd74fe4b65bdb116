import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The photograph to upload: E2E_PHOTO if set, else a committed astronaut PNG from pose-service's tests if one
 * exists, else the same image written from scikit-image (Eileen Collins, public domain, 512x512) by
 * pose-service's venv. Never a copy in this project: pose-service owns its test media.
 */
export function resolvePhoto(workspaceRoot: string, outputDir: string, env: NodeJS.ProcessEnv): { path: string } | { skipReason: string } {
  if (env.E2E_PHOTO) {
    return existsSync(env.E2E_PHOTO) ? { path: env.E2E_PHOTO } : { skipReason: `E2E_PHOTO=${env.E2E_PHOTO} does not exist` };
  }
  const serviceRoot = join(workspaceRoot, 'apps/pose-service');
  for (const candidate of ['tests/fixtures/astronaut.png', 'tests/media/astronaut.png']) {
    if (existsSync(join(serviceRoot, candidate))) return { path: join(serviceRoot, candidate) };
  }
  const python = join(serviceRoot, '.venv/bin/python');
  if (!existsSync(python)) {
    return { skipReason: 'no photo: set E2E_PHOTO, or create pose-service\'s venv (`npx nx run pose-service:setup`) for scikit-image\'s astronaut' };
  }
  const path = join(outputDir, 'astronaut.png');
  try {
    execFileSync(python, ['-c', 'import sys; from skimage import data, io; io.imsave(sys.argv[1], data.astronaut())', path], { stdio: 'pipe' });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    return { skipReason: `could not write scikit-image's astronaut with ${python}: ${stderr.trim().split('\n').pop()}` };
  }
  return { path };
}
