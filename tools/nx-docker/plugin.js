// @ts-check
// The plugin's entry (package.json main), as JavaScript so Nx loads it without a TypeScript transpiler: compiled.js.
module.exports = require('./compiled').requireCompiled('index');
