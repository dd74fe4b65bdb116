// The `docker compose build` baseline of the build benchmarks (tools/benchmarks/stack, tools/benchmarks/shared-cache):
// docker-compose.yml + docker-compose.build.yml, bases as compose services.
import { join } from 'node:path';

/** The baseline's stages: compose 2.26 cannot order builds, so bases go first, as in the original notes. */
export const COMPOSE_STAGES = [
  ['debian-root'],
  ['base-node', 'base-python', 'ferretdb'],
  ['base-python-pose', 'mongo-express-image'],
  ['pose-service', 'backend-api', 'frontend'],
];

export function composeStageArgs(dir, services, isCold) {
  const files = ['-f', join(dir, 'docker-compose.yml'), '-f', join(dir, 'docker-compose.build.yml')];
  return ['compose', '--project-directory', dir, ...files, '--profile', 'bases', 'build', ...(isCold ? ['--no-cache'] : []), ...services];
}

/**
 * The inputs the Dockerfiles copy but do not make (debootstrap rootfs, Go binary, weights, compiled backend):
 * made by the same Nx targets, so the baseline pays only what they cost after a change (cache hits otherwise).
 */
export const PREP_ARGS = ['nx', 'run-many', '-t', 'rootfs', 'build', 'models', '-p', 'debian-root', 'ferretdb-bin', 'pose-service', 'backend-api', '--outputStyle=static'];
