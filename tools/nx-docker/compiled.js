// @ts-check
// Serves the plugin's TypeScript sources as compiled JavaScript, recompiling what changed since the last call.
//
// Why: Nx loads a plugin whose entry is a .ts file by registering swc-node and reading the root tsconfig with the
// TypeScript compiler, in the plugin worker of every nx command and in every executor process: about 1 s of CPU
// each on this 2-core machine, more than the plugin's own work. A .js entry skips both. The compiled tree lives in
// dist/ (ignored by git) and is checked against the sources on every load (a stat of each, as git's index does),
// so an edit is picked up by the next command and the tree is never stale. @swc/core is the transpiler Nx itself
// uses for TypeScript plugins; the options below are the ones swc-node derives from tsconfig.base.json.
const { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, sep } = require('node:path');

const SOURCE_DIR = join(__dirname, 'src');
const OUT_DIR = join(__dirname, 'dist');
const MANIFEST = join(OUT_DIR, '.manifest.json');

const SWC_OPTIONS = {
  jsc: {
    parser: { syntax: 'typescript' },
    target: 'es2022',
    keepClassNames: true,
    transform: { useDefineForClassFields: true },
  },
  // lazy: a package is required where it is first used, not when the module loads, so a command pays only for
  // what it runs (createNodes never loads execa; the hook of a command without docker-build tasks loads nothing).
  // ignoreDynamic keeps `import()` native, so ESM-only packages (execa) load on any Node version.
  module: { type: 'commonjs', lazy: true, ignoreDynamic: true },
  sourceMaps: false,
  swcrc: false,
  configFile: false,
};

/** Sources that ship: not tests, not generator templates. */
function listSources(dir = SOURCE_DIR, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'files') listSources(path, found);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')) {
      found.push(path);
    }
  }
  return found;
}

function readManifest(configId) {
  try {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    if (manifest.configId === configId) return manifest.files;
  } catch {
    // No manifest yet, or a torn one: compile everything.
  }
  return {};
}

/** Written beside the target, then renamed: a concurrent reader sees the old file or the new, never half. */
function writeAtomically(path, content) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

let fresh = false;

/** Compiles the sources whose size, mtime or inode changed since the manifest was written; once per process. */
function ensureCompiled() {
  if (fresh) return;
  const configId = JSON.stringify(SWC_OPTIONS);
  const previous = readManifest(configId);
  const current = {};
  let swc;
  let changed = false;
  for (const source of listSources()) {
    const key = relative(SOURCE_DIR, source).split(sep).join('/');
    const stat = statSync(source);
    // Taken before the read: a file edited during the compile gets a new stamp and is compiled again next time.
    const stamp = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    const output = join(OUT_DIR, key.replace(/\.ts$/, '.js'));
    current[key] = stamp;
    if (previous[key] === stamp && existsSync(output)) continue;
    swc ??= require('@swc/core');
    writeAtomically(output, swc.transformFileSync(source, { ...SWC_OPTIONS, filename: source }).code);
    changed = true;
  }
  for (const key of Object.keys(previous)) {
    if (!(key in current)) {
      rmSync(join(OUT_DIR, key.replace(/\.ts$/, '.js')), { force: true });
      changed = true;
    }
  }
  if (changed) writeAtomically(MANIFEST, JSON.stringify({ configId, files: current }));
  fresh = true;
}

/** The compiled module of `src/<path>.ts`, compiled first if it or any other source changed. */
function requireCompiled(path) {
  ensureCompiled();
  return require(join(OUT_DIR, `${path}.js`));
}

module.exports = { ensureCompiled, requireCompiled };
