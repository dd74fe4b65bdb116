import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startManagedProcess, type ManagedProcess } from './managed-process';
import { waitForOutput } from './readiness';
import { ferretDbBinary } from './workspace-paths';

export interface FerretDbOptions {
  /** The database name in `url` (default `posestack-test`). */
  readonly database?: string;
  /** FerretDB's `--log-level` (default: FerretDB's own). */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Server output also goes here; a restart appends. */
  readonly logFile?: string;
}

export interface FerretDb {
  /** mongodb://127.0.0.1:<port>/<database> */
  readonly url: string;
  readonly port: number;
  /** Stops the server, keeping its data directory (for restart tests). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  restart(): Promise<void>;
  /** Stops it and removes the data directory. */
  dispose(): Promise<void>;
}

/** FerretDB prints this once it accepts connections, with the port it bound. */
const READY_LINE = /ready mongodb:\/\/[^\s/:]+:(\d+)/;
const READY_TIMEOUT_MS = 30_000;

/** Why a FerretDB cannot be started here; undefined when the binary is built. */
export function ferretDbSkipReason(): string | undefined {
  return existsSync(ferretDbBinary) ? undefined : `${ferretDbBinary} is missing; build it with \`npx nx run ferretdb-bin:build\` (needs Go)`;
}

/**
 * A real MongoDB-wire server: FerretDB on SQLite in a temp directory. The first start listens on port 0, so
 * FerretDB picks a free port and prints it (no race for it); `restart` reuses that port, so `url` stays valid.
 */
export async function startFerretDb(options: FerretDbOptions = {}): Promise<FerretDb> {
  const missing = ferretDbSkipReason();
  if (missing !== undefined) throw new Error(missing);
  const database = options.database ?? 'posestack-test';
  const dataDir = mkdtempSync(join(tmpdir(), 'test-stack-ferretdb-'));
  let port = 0;
  let launches = 0;
  let server: ManagedProcess | undefined;

  const launch = async () => {
    let ready: RegExpExecArray | undefined;
    server = await startManagedProcess({
      name: 'ferretdb',
      command: ferretDbBinary,
      args: [
        '--listen-addr',
        `127.0.0.1:${port}`,
        '--data-dir',
        dataDir,
        ...(options.logLevel === undefined ? [] : ['--log-level', options.logLevel]),
      ],
      logFile: options.logFile,
      isLogAppended: launches++ > 0,
      waitUntilReady: async (probe) => {
        ready = await waitForOutput(probe, READY_LINE);
      },
      readyTimeoutMs: READY_TIMEOUT_MS,
    });
    port = Number(ready?.[1]);
  };

  try {
    await launch();
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `mongodb://127.0.0.1:${port}/${database}`,
    port,
    stop: async () => server?.stop(),
    restart: launch,
    dispose: async () => {
      try {
        await server?.stop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
