import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFile } from './fixture-workspace';

/**
 * A fixture workspace made releasable as docs/releasing-images.md says: an nx.json release block (one
 * independent group, Docker's version scheme, the registry given) and a repository name per image project.
 */
export function writeReleaseConfig(root: string, registryAddress: string, prefix: string, projectRoots: readonly string[]): void {
  const projects = projectRoots.map((projectRoot) => projectRoot.split('/').pop() ?? projectRoot);
  const nxJson = JSON.parse(readFileSync(join(root, 'nx.json'), 'utf8'));
  nxJson.release = {
    projects,
    projectsRelationship: 'independent',
    docker: {
      registryUrl: registryAddress,
      skipVersionActions: true,
      preVersionCommand: `npx nx run-many -t docker-release-tag -p ${projects.join(' ')}`,
      versionSchemes: { production: '{currentDate|YYMM.DD}.{shortCommitSha}' },
    },
    git: { commit: false, tag: false },
    changelog: { workspaceChangelog: false, projectChangelogs: false },
  };
  writeFileSync(join(root, 'nx.json'), `${JSON.stringify(nxJson, null, 2)}\n`);
  projectRoots.forEach((projectRoot, index) => {
    const path = join(root, projectRoot, 'project.json');
    const project = JSON.parse(readFileSync(path, 'utf8'));
    writeFile(root, `${projectRoot}/project.json`, `${JSON.stringify({ ...project, release: { docker: { repositoryName: `${prefix}/${projects[index]}` } } }, null, 2)}\n`);
  });
}

/** git in the fixture, as a throw-away author. */
export const git = (root: string, args: string[]) => execa('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], { cwd: root });

export async function initRepository(root: string, message: string): Promise<void> {
  await git(root, ['init', '-q', '-b', 'main']);
  await git(root, ['add', '-A']);
  await git(root, ['commit', '-q', '-m', message]);
}

/** Removes by id every image of the fixture: a version tag that moved leaves its pushed image as <repo>:<none>. */
export async function removeFixtureImages(isOwn: (repository: string) => boolean, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { stdout } = await execa('docker', ['image', 'ls', '--format', '{{.Repository}}\t{{.ID}}'], { env });
  const own = stdout
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([repository]) => repository !== undefined && isOwn(repository))
    .map(([, id]) => id);
  if (own.length > 0) await execa('docker', ['image', 'rm', '--force', ...new Set(own)], { env, reject: false });
}
