import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { poseServicePython, poseServiceRoot } from '@posestack/test-stack';

export type Fixture = { readonly path: string } | { readonly skipReason: string };

/**
 * Media to upload, never copied into this project (pose-service owns its test media): E2E_PHOTO / E2E_VIDEO
 * if set, else a committed astronaut PNG from pose-service's tests if one exists, else files written from
 * scikit-image's astronaut (Eileen Collins, public domain, 512x512) by pose-service's venv.
 */
export function resolvePhoto(outputDir: string, env: NodeJS.ProcessEnv): Fixture {
  if (env.E2E_PHOTO) return checkGiven('E2E_PHOTO', env.E2E_PHOTO);
  for (const candidate of ['tests/fixtures/astronaut.png', 'tests/media/astronaut.png']) {
    if (existsSync(join(poseServiceRoot, candidate))) return { path: join(poseServiceRoot, candidate) };
  }
  const path = join(outputDir, 'astronaut.png');
  return runInPoseVenv(['-c', 'import sys; from skimage import data, io; io.imsave(sys.argv[1], data.astronaut())', path], path);
}

/** A 2 s clip panning across the astronaut (see write-pan-video.py). */
export function resolveVideo(outputDir: string, env: NodeJS.ProcessEnv): Fixture {
  if (env.E2E_VIDEO) return checkGiven('E2E_VIDEO', env.E2E_VIDEO);
  const path = join(outputDir, 'astronaut-pan.webm');
  return runInPoseVenv([join(__dirname, 'write-pan-video.py'), path], path);
}

function checkGiven(name: string, path: string): Fixture {
  return existsSync(path) ? { path } : { skipReason: `${name}=${path} does not exist` };
}

function runInPoseVenv(args: readonly string[], output: string): Fixture {
  if (!existsSync(poseServicePython)) {
    return { skipReason: "no test media: pose-service's venv (`npx nx run pose-service:setup`) writes it from scikit-image" };
  }
  try {
    execFileSync(poseServicePython, [...args], { stdio: 'pipe' });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    return { skipReason: `could not write ${output} with ${poseServicePython}: ${stderr.trim().split('\n').pop()}` };
  }
  return { path: output };
}
