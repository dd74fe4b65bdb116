import type { Arg, Instruction } from 'dockerfile-ast';

/**
 * The images a build reads (FROM, COPY --from, RUN --mount=from) after ARG substitution, with stage
 * aliases, stage indexes and scratch left out. Tokenising (escape directive, continuations, comments,
 * heredocs, flags) is dockerfile-ast's, the parser behind the Dockerfile language server; what stays ours is
 * only what BuildKit evaluates and the cache needs: ARG scoping and substitution, and which references are
 * external images.
 */

export type ImageRefKind = 'from' | 'copy-from' | 'mount-from';

export interface ImageRefUse {
  /** The reference as BuildKit will look it up (after ARG substitution), e.g. `posestack/base-node`. */
  ref: string;
  kind: ImageRefKind;
  /** 1-based line of the instruction, for error messages. */
  line: number;
  platform?: string;
}

export interface ParsedDockerfile {
  stages: { name?: string; base: string; line: number }[];
  /** External images only: stage aliases, stage indexes and `scratch` are left out. */
  imageRefs: ImageRefUse[];
}

/** `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alternative}`, as the Dockerfile frontend expands them. */
export function substituteArgs(value: string, vars: ReadonlyMap<string, string>): string {
  return value.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_match, braced: string | undefined, operator: string | undefined, word: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? '';
      const current = vars.get(name);
      if (operator === '-') return current ? current : substituteArgs(word ?? '', vars);
      if (operator === '+') return current ? substituteArgs(word ?? '', vars) : '';
      return current ?? '';
    },
  );
}

/**
 * BuildKit's automatic platform ARGs: in the global scope without a declaration, one value per platform being
 * built, so `FROM root-${TARGETARCH}` names a different stage for each platform.
 */
const PLATFORM_ARGS = ['TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT'];
const PER_PLATFORM = '\u0000';

/**
 * Whether a reference that uses a platform ARG (not given a value by the Dockerfile or a build arg) names one of
 * the stages declared before it for some platform, e.g. `root-${TARGETARCH}` with stages `root-amd64` and
 * `root-arm64`: a stage per platform, not an image. Substituting the platform ARG by "" would read it as the
 * image `root-`.
 */
function namesStagePerPlatform(raw: string, vars: ReadonlyMap<string, string>, stageNames: ReadonlySet<string>): boolean {
  const withPlatform = new Map(vars);
  for (const name of PLATFORM_ARGS) if (!withPlatform.has(name)) withPlatform.set(name, PER_PLATFORM);
  const template = substituteArgs(raw, withPlatform).toLowerCase();
  if (!template.includes(PER_PLATFORM)) return false;
  const escape = (part: string) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${template.split(PER_PLATFORM).map(escape).join('[a-z0-9_.-]+')}$`);
  return [...stageNames].some((name) => pattern.test(name));
}

/**
 * Shell-style quote removal, as the frontend applies to ARG values: dockerfile-ast keeps the quotes
 * (`ARG B="x"` reads as `"x"`), BuildKit does not.
 */
function unquote(value: string): string {
  let result = '';
  let quote: string | undefined;
  for (const char of value) {
    if (quote ? char === quote : char === '"' || char === "'") quote = quote ? undefined : char;
    else result += char;
  }
  return result;
}

/**
 * dockerfile-ast (and the language-server types under it) is loaded on the first parse only: a workspace whose
 * Dockerfiles are unchanged gets their parse from ParsedDockerfiles and never loads it.
 */
let dockerfileAst: typeof import('dockerfile-ast') | undefined;
function loadDockerfileAst(): typeof import('dockerfile-ast') {
  dockerfileAst ??= require('dockerfile-ast') as typeof import('dockerfile-ast');
  return dockerfileAst;
}

const lineOf = (instruction: Instruction) => (instruction.getRange()?.start.line ?? 0) + 1;

function flagValues(instruction: Instruction, name: string): string[] {
  if (!(instruction instanceof loadDockerfileAst().ModifiableInstruction)) return [];
  return instruction
    .getFlags()
    .filter((flag) => flag.getName() === name)
    .map((flag) => flag.getValue() ?? '');
}

/**
 * Parse a Dockerfile and list the external images it reads.
 * @param buildArgs values passed with --build-arg; they override ARG defaults exactly as in BuildKit
 *   (only for declared ARGs).
 */
export function parseDockerfile(text: string, buildArgs: Readonly<Record<string, string>> = {}): ParsedDockerfile {
  const globalArgs = new Map<string, string>();
  const stages: ParsedDockerfile['stages'] = [];
  const imageRefs: ImageRefUse[] = [];
  const stageNames = new Set<string>();
  let stageArgs: Map<string, string> | undefined;

  // `inherited` holds the global ARGs a stage-level `ARG NAME` (no default) picks up.
  const declare = (target: Map<string, string>, arg: Arg, inherited: ReadonlyMap<string, string>) => {
    for (const property of arg.getProperties()) {
      const name = property.getName();
      const rawDefault = property.getUnescapedValue();
      const defaultValue = rawDefault === null ? null : unquote(rawDefault);
      if (Object.hasOwn(buildArgs, name)) target.set(name, buildArgs[name]);
      else if (defaultValue !== null) target.set(name, substituteArgs(defaultValue, target));
      else if (inherited.has(name)) target.set(name, inherited.get(name) ?? '');
    }
  };
  const isExternal = (ref: string) =>
    ref !== '' && ref.toLowerCase() !== 'scratch' && !stageNames.has(ref.toLowerCase()) && !/^\d+$/.test(ref);
  /** The reference as BuildKit looks it up, or undefined for a stage (named, by index, or one per platform) or scratch. */
  const externalRef = (raw: string, vars: ReadonlyMap<string, string>) => {
    const ref = substituteArgs(raw, vars);
    return isExternal(ref) && !namesStagePerPlatform(raw, vars, stageNames) ? ref : undefined;
  };

  const { DockerfileParser, Arg, From } = loadDockerfileAst();
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    const keyword = instruction.getKeyword();
    const line = lineOf(instruction);
    if (instruction instanceof Arg) {
      if (stageArgs) declare(stageArgs, instruction, globalArgs);
      else declare(globalArgs, instruction, new Map());
      continue;
    }
    if (instruction instanceof From) {
      const [image, as, alias] = instruction.getArguments().map((argument) => argument.getValue());
      const base = substituteArgs(image ?? '', globalArgs);
      const name = as?.toUpperCase() === 'AS' ? alias?.toLowerCase() : undefined;
      const platformFlag = flagValues(instruction, 'platform')[0];
      stages.push({ name, base, line });
      if (externalRef(image ?? '', globalArgs) !== undefined) {
        imageRefs.push({ ref: base, kind: 'from', line, ...(platformFlag !== undefined ? { platform: substituteArgs(platformFlag, globalArgs) } : {}) });
      }
      if (name) stageNames.add(name);
      // A stage sees global ARGs only when it redeclares them; start from an empty scope that can read globals.
      stageArgs = new Map();
      continue;
    }
    const scope = stageArgs ?? globalArgs;
    if (keyword === 'COPY' || keyword === 'ADD') {
      for (const from of flagValues(instruction, 'from')) {
        const ref = externalRef(from, scope);
        if (ref !== undefined) imageRefs.push({ ref, kind: 'copy-from', line });
      }
    } else if (keyword === 'RUN') {
      for (const mount of flagValues(instruction, 'mount')) {
        const from = mount
          .split(',')
          .map((part) => part.split('='))
          .find(([key]) => key === 'from')?.[1];
        const ref = from === undefined ? undefined : externalRef(from, scope);
        if (ref !== undefined) imageRefs.push({ ref, kind: 'mount-from', line });
      }
    }
  }
  return { stages, imageRefs };
}
