import { missingCommandReason, runWorkspaceScript } from './run-script';

export interface SecondEngine {
  /** unix:///<dir>/docker.sock */
  readonly dockerHost: string;
  /** This process's environment with DOCKER_HOST pointing at the second engine. */
  readonly env: NodeJS.ProcessEnv;
  /** Stops the engine; its store stays in `dir` for the next start. */
  stop(): Promise<void>;
  /** Stops it and removes `dir` (its image store and BuildKit cache). */
  wipe(): Promise<void>;
}

export interface SecondEngineOptions {
  /** At most 60 characters (the engine's Unix sockets live under it), e.g. a mkdtemp under /tmp. */
  readonly dir: string;
  /** The containerd image store for this engine only. */
  readonly containerdStore?: boolean;
  /** The /24 of its own bridge (A.B.C.0/24); default: one derived from `dir`. */
  readonly bridgeSubnet?: string;
}

/** A second, independent dockerd (tools/scripts/second-engine.sh): another runner on the same machine. */
export async function startSecondEngine(options: SecondEngineOptions): Promise<SecondEngine> {
  const stdout = await runWorkspaceScript('second-engine.sh', [
    'start',
    '--dir',
    options.dir,
    ...(options.containerdStore ? ['--containerd-store'] : []),
    ...(options.bridgeSubnet ? ['--bridge-subnet', options.bridgeSubnet] : []),
  ]);
  const dockerHost = /^DOCKER_HOST=(\S+)$/m.exec(stdout)?.[1];
  if (!dockerHost) throw new Error(`second-engine.sh start printed no DOCKER_HOST line: ${stdout}`);
  return {
    dockerHost,
    env: { ...process.env, DOCKER_HOST: dockerHost },
    stop: async () => {
      await runWorkspaceScript('second-engine.sh', ['stop', '--dir', options.dir]);
    },
    wipe: async () => {
      await runWorkspaceScript('second-engine.sh', ['wipe', '--dir', options.dir]);
    },
  };
}

export function secondEngineSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'a second dockerd needs root (run the suite as root, as CI does)';
  return missingCommandReason('dockerd', 'bash tools/scripts/install-docker.sh installs it');
}
