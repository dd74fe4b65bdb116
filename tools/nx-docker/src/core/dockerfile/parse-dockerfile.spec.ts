import { parseDockerfile, substituteArgs } from './parse-dockerfile';

const refsOf = (text: string, buildArgs: Record<string, string> = {}) =>
  parseDockerfile(text, buildArgs).imageRefs.map(({ ref, kind }) => `${kind}:${ref}`);

describe('parseDockerfile', () => {
  it('substitutes global ARG defaults in FROM and lets build args override them', () => {
    const text = 'ARG BASE=posestack/base-node\nARG TAG\nFROM ${BASE}:${TAG:-latest}\n';
    expect(refsOf(text)).toEqual(['from:posestack/base-node:latest']);
    expect(refsOf(text, { BASE: 'posestack/other', TAG: '2' })).toEqual(['from:posestack/other:2']);
  });

  it('ignores build args for ARGs the Dockerfile does not declare', () => {
    expect(refsOf('FROM $BASE\n', { BASE: 'posestack/x' })).toEqual([]);
  });

  it('skips scratch, stage aliases and stage indexes, case-insensitively', () => {
    const text = [
      'FROM posestack/base AS Build',
      'FROM scratch',
      'COPY --from=build /a /a',
      'COPY --from=0 /b /b',
      'FROM BUILD',
    ].join('\n');
    expect(refsOf(text)).toEqual(['from:posestack/base']);
    expect(parseDockerfile(text).stages.map((s) => s.name)).toEqual(['build', undefined, undefined]);
  });

  it('reads --platform and COPY --from / RUN --mount=from images', () => {
    const parsed = parseDockerfile(
      [
        'FROM --platform=$BUILDPLATFORM posestack/base-python AS deps',
        'ARG TOOLS=posestack/tools',
        'COPY --chown=1:1 --from=${TOOLS} /bin/x /bin/x',
        'RUN --mount=type=cache,target=/root/.cache --mount=type=bind,from=posestack/models,source=/m,target=/m true',
      ].join('\n'),
    );
    expect(parsed.imageRefs).toEqual([
      { ref: 'posestack/base-python', kind: 'from', line: 1, platform: '' },
      { ref: 'posestack/tools', kind: 'copy-from', line: 3 },
      { ref: 'posestack/models', kind: 'mount-from', line: 4 },
    ]);
  });

  it('reads a stage picked by a platform ARG as a stage, not as an image', () => {
    const text = [
      'FROM scratch AS root-amd64',
      'FROM scratch AS root-arm64',
      'FROM root-${TARGETARCH} AS root',
      'FROM posestack/base-python',
      'ARG TARGETARCH',
      'COPY --from=root-${TARGETARCH} / /',
      'RUN --mount=type=bind,from=root-$TARGETARCH,target=/r true',
      'FROM posestack/tools-${TARGETARCH}',
    ].join('\n');
    // no stage matches the last one: an image whose name BuildKit completes per platform, read as before
    expect(refsOf(text)).toEqual(['from:posestack/base-python', 'from:posestack/tools-']);
    expect(refsOf('ARG TARGETARCH=arm64\nFROM scratch AS root-amd64\nFROM root-${TARGETARCH}\n')).toEqual(['from:root-arm64']);
  });

  it('gives a stage only the global ARGs it redeclares', () => {
    const text = 'ARG SRC=posestack/a\nFROM scratch\nCOPY --from=$SRC / /\nARG SRC\nCOPY --from=$SRC / /\n';
    expect(refsOf(text)).toEqual(['copy-from:posestack/a']);
  });

  it('joins continuations, drops comments inside them and honours the escape directive', () => {
    expect(refsOf('# comment\nFROM \\\n# inner comment\n  posestack/base \\\n  AS b\n')).toEqual(['from:posestack/base']);
    expect(refsOf('# escape=`\nFROM posestack/win `\n  AS b\nCOPY --from=c:\\\\x /a /b\n')).toEqual([
      'from:posestack/win',
      'copy-from:c:\\\\x',
    ]);
  });

  it('treats heredoc bodies as data', () => {
    const text = [
      'FROM scratch',
      'RUN <<EOF bash',
      'FROM posestack/not-an-instruction',
      'EOF',
      'COPY <<-"ONE" <<TWO /dst/',
      '\tFROM posestack/nor-this',
      '\tONE',
      'COPY --from=posestack/neither / /',
      'TWO',
      'COPY --from=posestack/real / /',
    ].join('\n');
    expect(refsOf(text)).toEqual(['copy-from:posestack/real']);
  });

  it('reports the first line of each instruction and reads several ARGs on one line, quoted or not', () => {
    const parsed = parseDockerfile('\nARG A=posestack/a B="posestack/b"\nFROM $A \\\n AS x\n\nFROM ${B}\n');
    expect(parsed.imageRefs.map(({ ref, line }) => [ref, line])).toEqual([
      ['posestack/a', 3],
      ['posestack/b', 6],
    ]);
  });
});

describe('substituteArgs', () => {
  const vars = new Map([['A', 'x']]);
  it.each([
    ['$A/${A}', 'x/x'],
    ['${B:-def}', 'def'],
    ['${A:+alt}', 'alt'],
    ['${B:+alt}', ''],
    ['$B', ''],
  ])('%s', (input, expected) => expect(substituteArgs(input, vars)).toBe(expected));
});
