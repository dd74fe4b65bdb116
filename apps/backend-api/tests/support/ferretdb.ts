import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnLogged, type Spawned } from './child-process';
import { ferretDbBinary } from './paths';

export interface FerretDb {
  /** mongodb://127.0.0.1:<port>/<database> */
  url: string;
  port: number;
  /** Stops the server, keeping its data directory (for restart tests). */
  stop: () => Promise<void>;
  /** Starts it again on the same port and data. */
  restart: () => Promise<void>;
  /** Stops it and removes the data directory. */
  dispose: () => Promise<void>;
}

/**
 * A real MongoDB-wire server: FerretDB on SQLite in a temp directory, on a port the OS picks (the binary prints
 * `ready mongodb://host:port/` once it accepts connections).
 */
export async function startFerretDb(database = 'posestack-test'): Promise<FerretDb> {
  if (!existsSync(ferretDbBinary)) {
    throw new Error(`${ferretDbBinary} is missing; build it with \`npx nx run ferretdb-bin:build\` (needs Go)`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'backend-api-ferretdb-'));
  let port = 0;
  let server: Spawned | undefined;

  const launch = async () => {
    server = spawnLogged(ferretDbBinary, ['--listen-addr', `127.0.0.1:${port}`, '--data-dir', dataDir, '--log-level', 'error'], {});
    const current = server;
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`FerretDB did not start in 20 s:\n${current.output()}`)), 20_000);
      current.child.stdout?.on('data', () => {
        const match = /ready mongodb:\/\/[^:]+:(\d+)\//.exec(current.output());
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      current.child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`FerretDB exited with ${code}:\n${current.output()}`));
      });
    });
  };

  await launch();
  return {
    url: `mongodb://127.0.0.1:${port}/${database}`,
    port,
    stop: async () => server?.stop(),
    restart: launch,
    dispose: async () => {
      await server?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
