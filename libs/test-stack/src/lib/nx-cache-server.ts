import { join } from 'node:path';
import { startManagedProcess } from './managed-process';
import { waitForOutput } from './readiness';
import { workspaceRoot } from './workspace-paths';

export interface NxCacheServer {
  /** For NX_SELF_HOSTED_REMOTE_CACHE_SERVER, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  stop(): Promise<void>;
}

export interface NxCacheServerOptions {
  /** Entries are kept here; it outlives the server (a restart serves them again). */
  readonly dir: string;
  readonly readWriteTokens?: readonly string[];
  readonly readTokens?: readonly string[];
  readonly maxEntryBytes?: number;
  readonly logFile?: string;
}

/** The workspace's Nx remote cache server (tools/nx-cache-server) as a real process on a free loopback port. */
export async function startNxCacheServer(options: NxCacheServerOptions): Promise<NxCacheServer> {
  let url = '';
  const server = await startManagedProcess({
    name: 'nx-cache-server',
    command: process.execPath,
    args: ['-r', '@swc-node/register', join(workspaceRoot, 'tools/nx-cache-server/src/main.ts')],
    cwd: workspaceRoot,
    env: {
      PATH: process.env.PATH,
      SWC_NODE_PROJECT: join(workspaceRoot, 'tools/nx-cache-server/tsconfig.app.json'),
      NX_CACHE_SERVER_DIR: options.dir,
      NX_CACHE_SERVER_PORT: '0',
      NX_CACHE_SERVER_READ_WRITE_TOKENS: (options.readWriteTokens ?? []).join(','),
      NX_CACHE_SERVER_READ_TOKENS: (options.readTokens ?? []).join(','),
      ...(options.maxEntryBytes === undefined ? {} : { NX_CACHE_SERVER_MAX_ENTRY_BYTES: String(options.maxEntryBytes) }),
    },
    logFile: options.logFile,
    // Port 0: Fastify's start-up line names the port it got.
    waitUntilReady: async (probe) => {
      [, url] = await waitForOutput(probe, /Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
    },
    readyTimeoutMs: 30_000,
  });
  return { url, stop: () => server.stop() };
}
