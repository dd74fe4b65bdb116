/**
 * A Dockerfile reader that extracts only what the graph and the cache need: the images a build reads
 * (FROM, COPY --from, RUN --mount=from) after ARG substitution, ignoring stage aliases and scratch.
 * It follows the BuildKit frontend's rules for escape directives, line continuations, comments and heredocs,
 * and deliberately does not evaluate anything else.
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

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

const heredocPattern = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

/** Split into logical instructions: directives, comments, continuations and heredoc bodies handled. */
export function splitInstructions(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  const escape = readEscapeDirective(lines);
  const instructions: Instruction[] = [];
  let index = 0;
  while (index < lines.length) {
    const startLine = index + 1;
    let current = '';
    // Join continuation lines; comment lines inside a continuation are dropped (BuildKit behaviour).
    for (;;) {
      const raw = lines[index++] ?? '';
      if (current === '' && isCommentOrBlank(raw)) break;
      if (current !== '' && /^\s*#/.test(raw)) {
        if (index >= lines.length) break;
        continue;
      }
      const trimmedEnd = raw.replace(/\s+$/, '');
      if (trimmedEnd.endsWith(escape) && index < lines.length) {
        current += trimmedEnd.slice(0, -1) + ' ';
        continue;
      }
      current += raw;
      break;
    }
    const content = current.trim();
    if (content === '') continue;
    const match = /^(\S+)\s*([\s\S]*)$/.exec(content);
    if (!match) continue;
    const keyword = match[1].toUpperCase();
    instructions.push({ keyword, args: match[2], line: startLine });
    // Heredoc bodies (RUN/COPY/ADD <<EOF) are data, not instructions: skip to each terminator in order.
    if (['RUN', 'COPY', 'ADD'].includes(keyword)) {
      for (const heredoc of match[2].matchAll(heredocPattern)) {
        const stripTabs = heredoc[1] === '-';
        const terminator = heredoc[3];
        while (index < lines.length) {
          const body = lines[index++];
          const candidate = stripTabs ? body.replace(/^\t+/, '') : body;
          if (candidate === terminator) break;
        }
      }
    }
  }
  return instructions;
}

function readEscapeDirective(lines: string[]): string {
  // Parser directives must come first, before any comment, blank line or instruction.
  for (const line of lines) {
    const directive = /^\s*#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(line);
    if (!directive) break;
    if (directive[1].toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\')) {
      return directive[2];
    }
  }
  return '\\';
}

function isCommentOrBlank(line: string): boolean {
  return /^\s*(#.*)?$/.test(line);
}

/** Shell-style word splitting that honours quotes, enough for instruction flags and image names. */
function splitWords(args: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  let hasWord = false;
  for (const char of args) {
    if (quote) {
      if (char === quote) quote = undefined;
      else current += char;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      hasWord = true;
      continue;
    }
    if (/\s/.test(char)) {
      if (hasWord) words.push(current);
      current = '';
      hasWord = false;
      continue;
    }
    current += char;
    hasWord = true;
  }
  if (hasWord) words.push(current);
  return words;
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

function parseArgDeclarations(args: string): { name: string; defaultValue?: string }[] {
  return splitWords(args).map((word) => {
    const equals = word.indexOf('=');
    return equals === -1 ? { name: word } : { name: word.slice(0, equals), defaultValue: word.slice(equals + 1) };
  });
}

function readFlags(words: string[]): { flags: Map<string, string[]>; rest: string[] } {
  const flags = new Map<string, string[]>();
  let position = 0;
  while (position < words.length && words[position].startsWith('--')) {
    const [name, ...value] = words[position].slice(2).split('=');
    flags.set(name, [...(flags.get(name) ?? []), value.join('=')]);
    position++;
  }
  return { flags, rest: words.slice(position) };
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
  const declare = (target: Map<string, string>, args: string, inherited: ReadonlyMap<string, string>) => {
    for (const { name, defaultValue } of parseArgDeclarations(args)) {
      if (Object.hasOwn(buildArgs, name)) target.set(name, buildArgs[name]);
      else if (defaultValue !== undefined) target.set(name, substituteArgs(defaultValue, target));
      else if (inherited.has(name)) target.set(name, inherited.get(name) ?? '');
    }
  };
  const isExternal = (ref: string) =>
    ref !== '' && ref.toLowerCase() !== 'scratch' && !stageNames.has(ref.toLowerCase()) && !/^\d+$/.test(ref);

  for (const instruction of splitInstructions(text)) {
    const { keyword, args, line } = instruction;
    if (keyword === 'ARG') {
      if (stageArgs) declare(stageArgs, args, globalArgs);
      else declare(globalArgs, args, new Map());
      continue;
    }
    if (keyword === 'FROM') {
      const { flags, rest } = readFlags(splitWords(args));
      const base = substituteArgs(rest[0] ?? '', globalArgs);
      const alias = rest[1]?.toUpperCase() === 'AS' ? rest[2]?.toLowerCase() : undefined;
      const platformFlag = flags.get('platform')?.[0];
      stages.push({ name: alias, base, line });
      if (isExternal(base)) {
        imageRefs.push({
          ref: base,
          kind: 'from',
          line,
          ...(platformFlag ? { platform: substituteArgs(platformFlag, globalArgs) } : {}),
        });
      }
      if (alias) stageNames.add(alias);
      // A stage sees global ARGs only when it redeclares them; start from an empty scope that can read globals.
      stageArgs = new Map();
      continue;
    }
    const scope = stageArgs ?? globalArgs;
    if (keyword === 'COPY' || keyword === 'ADD') {
      const { flags } = readFlags(splitWords(args));
      for (const from of flags.get('from') ?? []) {
        const ref = substituteArgs(from, scope);
        if (isExternal(ref)) imageRefs.push({ ref, kind: 'copy-from', line });
      }
      continue;
    }
    if (keyword === 'RUN') {
      const { flags } = readFlags(splitWords(args));
      for (const mount of flags.get('mount') ?? []) {
        const from = mount
          .split(',')
          .map((part) => part.split('='))
          .find(([key]) => key === 'from')?.[1];
        const ref = from === undefined ? undefined : substituteArgs(from, scope);
        if (ref !== undefined && isExternal(ref)) imageRefs.push({ ref, kind: 'mount-from', line });
      }
    }
  }
  return { stages, imageRefs };
}
