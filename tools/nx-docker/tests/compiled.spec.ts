import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const pluginRoot = join(__dirname, '..');
const workspaceRoot = join(pluginRoot, '..', '..');

/**
 * compiled.js in a throw-away package beside its own src/, driven by real Node processes as Nx drives the plugin:
 * each command is a fresh process that loads the entry.
 */
describe('compiled.js (the JavaScript the plugin is loaded as)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nx-docker-compiled-'));
    symlinkSync(join(workspaceRoot, 'node_modules'), join(dir, 'node_modules'));
    copyFileSync(join(pluginRoot, 'compiled.js'), join(dir, 'compiled.js'));
    mkdirSync(join(dir, 'src', 'core'), { recursive: true });
    writeFileSync(join(dir, 'src', 'core', 'answer.ts'), 'export const answer: number = 41;\n');
    writeFileSync(
      join(dir, 'src', 'index.ts'),
      [
        "import { answer } from './core/answer';",
        // Never used on load: with lazy imports, a missing package fails only where it is used.
        "import { unused } from 'a-package-that-is-not-installed';",
        'export const value = (): number => answer + 1;',
        'export const never = () => unused;',
        '',
      ].join('\n'),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const load = () => execFileSync(process.execPath, ['-e', "process.stdout.write(String(require('./compiled').requireCompiled('index').value()))"], { cwd: dir, encoding: 'utf8' }).trim();

  it('compiles the sources on first load, and loads packages only where they are used', () => {
    expect(load()).toBe('42');
    expect(existsSync(join(dir, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(dir, 'dist', 'core', 'answer.js'))).toBe(true);
  });

  it('recompiles a source edited since the last load, and only that one', () => {
    expect(load()).toBe('42');
    const untouched = readFileSync(join(dir, 'dist', 'index.js'), 'utf8');
    writeFileSync(join(dir, 'dist', 'index.js'), `${untouched}\n// still the previous compile`);
    writeFileSync(join(dir, 'src', 'core', 'answer.ts'), 'export const answer: number = 99;\n');
    expect(load()).toBe('100');
    expect(readFileSync(join(dir, 'dist', 'index.js'), 'utf8')).toContain('// still the previous compile');
  });

  it('removes the output of a deleted source, and recompiles an output that went missing', () => {
    writeFileSync(join(dir, 'src', 'core', 'gone.ts'), 'export const gone = 1;\n');
    expect(load()).toBe('42');
    expect(existsSync(join(dir, 'dist', 'core', 'gone.js'))).toBe(true);
    unlinkSync(join(dir, 'src', 'core', 'gone.ts'));
    unlinkSync(join(dir, 'dist', 'core', 'answer.js'));
    expect(load()).toBe('42');
    expect(existsSync(join(dir, 'dist', 'core', 'gone.js'))).toBe(false);
  });

  it('leaves tests and generator templates out', () => {
    writeFileSync(join(dir, 'src', 'index.spec.ts'), "throw new Error('a test is not part of the plugin');\n");
    mkdirSync(join(dir, 'src', 'generators', 'files'), { recursive: true });
    writeFileSync(join(dir, 'src', 'generators', 'files', 'template.ts'), 'this is <%= not %> TypeScript\n');
    expect(load()).toBe('42');
    expect(existsSync(join(dir, 'dist', 'index.spec.js'))).toBe(false);
    expect(existsSync(join(dir, 'dist', 'generators'))).toBe(false);
  });
});
