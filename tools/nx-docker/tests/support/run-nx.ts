import { execa } from 'execa';
import { join } from 'node:path';

const nxBin = join(__dirname, '..', '..', '..', '..', 'node_modules', 'nx', 'dist', 'bin', 'nx.js');

export interface NxRun {
  exitCode: number;
  output: string;
  /** Per project: how its docker-build task ended in this run. */
  outcomes: Record<string, 'cache' | 'remote-cache' | 'built' | 'reused' | 'restored' | 'failed'>;
}

/**
 * Runs the real nx CLI in a fixture workspace: no daemon, a cache directory inside the fixture, static
 * output so each task's log can be attributed.
 */
export async function runNx(workspaceRoot: string, args: string[], env: Record<string, string> = {}): Promise<NxRun> {
  // nx release refuses --output-style; the tasks it starts take NX_TUI=false and CI=true instead.
  const style = args[0] === 'release' ? [] : ['--output-style=static'];
  const result = await execa(process.execPath, [nxBin, ...args, ...style], {
    cwd: workspaceRoot,
    reject: false,
    all: true,
    // Nothing from an outer nx (this suite runs under `nx test`: NX_SKIP_NX_CACHE, NX_WORKSPACE_ROOT...) leaks in.
    extendEnv: false,
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('NX_'))),
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      NX_CACHE_DIRECTORY: join(workspaceRoot, '.nx', 'cache'),
      NX_TUI: 'false',
      CI: 'true',
      FORCE_COLOR: '0',
      ...env,
    },
  });
  // eslint-disable-next-line no-control-regex
  const output = String(result.all).replace(/\u001b\[[0-9;]*m/g, '');
  return { exitCode: result.exitCode ?? -1, output, outcomes: readOutcomes(output) };
}

/** Splits static output into per-task sections (`> nx run p:t`) and classifies each. */
export function readOutcomes(output: string): NxRun['outcomes'] {
  const outcomes: NxRun['outcomes'] = {};
  const sections = output.split(/^> nx run /m).slice(1);
  for (const section of sections) {
    const project = /^([^:\s]+):docker-build/.exec(section)?.[1];
    if (!project) continue;
    const firstLine = section.split('\n')[0];
    if (/remote cache/.test(firstLine)) outcomes[project] = 'remote-cache';
    else if (/local cache|existing outputs match/.test(firstLine)) outcomes[project] = 'cache';
    else if (/docker-build failed/.test(section)) outcomes[project] = 'failed';
    else if (/^building /m.test(section)) outcomes[project] = 'built';
    else if (/reused, no build/.test(section)) outcomes[project] = 'reused';
    else if (/restored from \S+ in [\d.]+ s, no build/.test(section)) outcomes[project] = 'restored';
    else outcomes[project] = 'failed';
  }
  return outcomes;
}
