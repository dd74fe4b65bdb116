import { join } from 'node:path';
import { ParsedDockerfiles } from '../dockerfile/parsed-dockerfiles';
import { FileHashes } from './file-hashes';

/** What describing the workspace reuses between nx commands; kept in Nx's workspace data folder (reset by `nx reset`). */
export interface WorkspaceCaches {
  fileHashes: FileHashes;
  dockerfiles: ParsedDockerfiles;
  save(): void;
}

/** With a folder, the caches persist there; without one, they live as long as the process. */
export function openWorkspaceCaches(workspaceDataDirectory?: string): WorkspaceCaches {
  const fileHashes = new FileHashes(workspaceDataDirectory && join(workspaceDataDirectory, 'nx-docker-file-hashes.json'));
  const dockerfiles = new ParsedDockerfiles(workspaceDataDirectory && join(workspaceDataDirectory, 'nx-docker-dockerfiles.json'));
  return {
    fileHashes,
    dockerfiles,
    save: () => {
      fileHashes.save();
      dockerfiles.save();
    },
  };
}
