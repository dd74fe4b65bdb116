import { findFreePort } from './free-port';
import { missingCommandReason, runWorkspaceScript } from './run-script';

export interface CacheRegistry {
  /** host:port, as in image references: `${address}/repo:tag` */
  readonly address: string;
  stop(): Promise<void>;
}

/** A real distribution registry (tools/scripts/start-registry.sh) on a free loopback port, its data in `dir`. */
export async function startCacheRegistry(dir: string): Promise<CacheRegistry> {
  const port = String(await findFreePort());
  await runWorkspaceScript('start-registry.sh', ['--port', port, '--dir', dir]);
  return {
    address: `127.0.0.1:${port}`,
    stop: async () => {
      await runWorkspaceScript('start-registry.sh', ['--stop', '--port', port, '--dir', dir]);
    },
  };
}

export const cacheRegistrySkipReason = (): string | undefined =>
  missingCommandReason('docker-registry', "Debian's docker-registry package; npm run setup installs it");
