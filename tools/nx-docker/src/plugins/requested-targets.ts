import type { ProjectConfiguration, TargetDependencyConfig } from '@nx/devkit';

/** nx commands that run no task at all. */
const commandsWithoutTasks = new Set([
  'show', 'graph', 'dep-graph', 'reset', 'report', 'list', 'g', 'generate', 'migrate', 'init', 'add', 'format', 'format:check',
  'format:write', 'sync', 'sync:check', 'daemon', 'repair', 'connect', 'connect-to-nx-cloud', 'login', 'logout', 'print-affected',
  'configure-ai-agents', 'mcp', 'import',
]);
/** nx commands whose tasks cannot be read off the command line: assume they may run any target. */
const commandsWithHiddenTasks = new Set(['exec', 'watch', 'release', 'view-logs', 'fix-ci', 'start-ci-run', 'record']);

function valuesOf(args: readonly string[], names: readonly string[]): string[] {
  const values: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const inline = names.map((name) => `${name}=`).find((prefix) => arg.startsWith(prefix));
    if (inline) values.push(...arg.slice(inline.length).split(','));
    else if (names.includes(arg)) {
      // `-t lint test e2e`: every following word up to the next flag.
      while (index + 1 < args.length && !args[index + 1].startsWith('-')) values.push(...args[++index].split(','));
    }
  }
  return values.filter((value) => value !== '');
}

/**
 * The target names an nx command line asks for, or undefined when it cannot tell (then the caller must
 * assume any). `argv` is process.argv of the nx process: [node, nx, command, ...].
 */
export function findRequestedTargets(argv: readonly string[]): string[] | undefined {
  const nxIndex = argv.findIndex((arg) => /(^|[\\/])nx(\.js)?$/.test(arg));
  const args = argv.slice(nxIndex === -1 ? 2 : nxIndex + 1);
  const [command, ...rest] = args;
  if (command === undefined || command.startsWith('-')) return undefined;
  if (commandsWithoutTasks.has(command)) return [];
  if (commandsWithHiddenTasks.has(command)) return undefined;
  if (command === 'run-many' || command === 'affected') {
    const targets = valuesOf(rest, ['-t', '--target', '--targets']);
    return targets.length > 0 ? targets : undefined;
  }
  // `nx run project:target[:configuration]`, `nx project:target`, `nx target [project]`.
  const specifier = command === 'run' ? rest.find((arg) => !arg.startsWith('-')) : command;
  if (specifier === undefined) return undefined;
  const parts = specifier.split(':');
  return [parts.length >= 2 ? parts[1] : parts[0]];
}

/**
 * Whether a command may run a task whose executor is `executor`: one of the requested targets, or a
 * target their dependsOn reaches in any project, uses it. Target names only, ignoring which projects
 * (conservative: it can say yes too often, never no wrongly).
 */
export function mayRunTargetsOf(
  argv: readonly string[],
  projects: Readonly<Record<string, Pick<ProjectConfiguration, 'targets'>>>,
  executor: string,
): boolean {
  const requested = findRequestedTargets(argv);
  if (requested === undefined) return true;
  const byName = new Map<string, { executor?: string; dependsOn?: (string | TargetDependencyConfig)[] }[]>();
  for (const project of Object.values(projects)) {
    for (const [name, target] of Object.entries(project.targets ?? {})) byName.set(name, [...(byName.get(name) ?? []), target]);
  }
  const seen = new Set<string>();
  const queue = [...requested];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const target of byName.get(name) ?? []) {
      if (target.executor === executor) return true;
      for (const entry of target.dependsOn ?? []) {
        const dependency = typeof entry === 'string' ? entry.replace(/^\^/, '') : entry.target;
        if (dependency.includes('*')) return true; // a target-name glob: cannot tell cheaply
        if (dependency) queue.push(dependency);
      }
    }
  }
  return false;
}
