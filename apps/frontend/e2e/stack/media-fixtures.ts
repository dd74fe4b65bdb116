import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type Fixture = { readonly path: string } | { readonly skipReason: string };

/**
 * Media to upload, never copied into this project (pose-service owns its test media): E2E_PHOTO / E2E_VIDEO
 * if set, else a committed astronaut PNG from pose-service's tests if one exists, else files written from
 * scikit-image's astronaut (Eileen Collins, public domain, 512x512) by pose-service's venv.
 */
export function resolvePhoto(workspaceRoot: string, outputDir: string, env: NodeJS.ProcessEnv): Fixture {
  if (env.E2E_PHOTO) return checkGiven('E2E_PHOTO', env.E2E_PHOTO);
  const serviceRoot = join(workspaceRoot, 'apps/pose-service');
  for (const candidate of ['tests/fixtures/astronaut.png', 'tests/media/astronaut.png']) {
    if (existsSync(join(serviceRoot, candidate))) return { path: join(serviceRoot, candidate) };
  }
  const path = join(outputDir, 'astronaut.png');
  return runInPoseVenv(workspaceRoot, ['-c', 'import sys; from skimage import data, io; io.imsave(sys.argv[1], data.astronaut())', path], path);
}

/** A 2 s clip panning across the astronaut (see write-pan-video.py). */
export function resolveVideo(workspaceRoot: string, outputDir: string, env: NodeJS.ProcessEnv): Fixture {
  if (env.E2E_VIDEO) return checkGiven('E2E_VIDEO', env.E2E_VIDEO);
  const path = join(outputDir, 'astronaut-pan.webm');
  return runInPoseVenv(workspaceRoot, [join(__dirname, 'write-pan-video.py'), path], path);
}

function checkGiven(name: string, path: string): Fixture {
  return existsSync(path) ? { path } : { skipReason: `${name}=${path} does not exist` };
}

function runInPoseVenv(workspaceRoot: string, args: readonly string[], output: string): Fixture {
  const python = join(workspaceRoot, 'apps/pose-service/.venv/bin/python');
  if (!existsSync(python)) {
    return { skipReason: "no test media: pose-service's venv (`npx nx run pose-service:setup`) writes it from scikit-image" };
  }
  try {
    execFileSync(python, [...args], { stdio: 'pipe' });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    return { skipReason: `could not write ${output} with ${python}: ${stderr.trim().split('\n').pop()}` };
  }
  return { path: output };
}
