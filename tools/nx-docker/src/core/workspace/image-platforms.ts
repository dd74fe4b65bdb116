import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeBuildOptions, parseBuildOptions } from '../options/normalize-build-options';
import { findOwnPluginOptions, resolveDefaultPlatforms } from '../options/plugin-options';
import { dockerBuildExecutor } from './image-projects';

/**
 * The platforms one image project's docker-build builds, read from the same places and by the same code as the
 * build itself: its own "platforms" option, else NX_DOCKER_PLATFORMS over the plugin option in nx.json
 * (normalizeBuildOptions). Empty: the engine's platform. For a task that makes what the image's context needs
 * per platform (debian-root's rootfs target writes a root per architecture), so it follows the image's platform
 * set instead of a second setting that could disagree; that task lists this reading as a runtime input, so its
 * cache follows the set too.
 */
export function readImagePlatforms(workspaceRoot: string, projectRoot: string, env: Readonly<Record<string, string | undefined>>): string[] {
  const projectJsonPath = join(workspaceRoot, projectRoot, 'project.json');
  if (!existsSync(projectJsonPath)) throw new Error(`no project.json in "${projectRoot}" (expected an image project's root, e.g. docker/debian-root)`);
  const projectJson = JSON.parse(readFileSync(projectJsonPath, 'utf8')) as {
    name?: string;
    targets?: Record<string, { executor?: string; options?: Record<string, unknown> }>;
  };
  const project = projectJson.name ?? projectRoot;
  const configured = Object.values(projectJson.targets ?? {}).find((target) => target.executor === dockerBuildExecutor)?.options;
  const nxJson = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8')) as { plugins?: Parameters<typeof findOwnPluginOptions>[0] };
  const plugin = findOwnPluginOptions(nxJson.plugins, workspaceRoot);
  // The options the build reads (inferred defaults under project.json), normalised as describeImages does.
  const options = { context: projectRoot, dockerfile: join(projectRoot, 'Dockerfile'), ...configured };
  return normalizeBuildOptions(
    parseBuildOptions(options, project),
    { project, root: projectRoot, imageNamePrefix: plugin.imageNamePrefix, defaultPlatforms: resolveDefaultPlatforms(plugin, env) },
    env,
  ).platforms;
}

/** Node's name of this machine's architecture as Docker names the platform (x64 is linux/amd64). */
export function machinePlatform(arch: string = process.arch): string {
  const dockerArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return `linux/${dockerArch[arch] ?? arch}`;
}

/**
 * `node tools/nx-docker/image-platforms.js <project root>`: one platform per line; when the image sets none (the
 * engine's platform), this machine's, the platform of the local engine: so a task's runtime input differs
 * between an amd64 and an arm64 machine exactly when what it makes does.
 */
export function main(argv: readonly string[], workspaceRoot: string = process.cwd()): number {
  const [projectRoot] = argv;
  if (!projectRoot || argv.length > 1) {
    process.stderr.write('usage: node tools/nx-docker/image-platforms.js <image project root>\n');
    return 2;
  }
  try {
    const platforms = readImagePlatforms(workspaceRoot, projectRoot, process.env);
    for (const platform of platforms.length > 0 ? platforms : [machinePlatform()]) process.stdout.write(`${platform}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`image-platforms: ${(error as Error).message}\n`);
    return 1;
  }
}
