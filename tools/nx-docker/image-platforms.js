// @ts-check
// `node tools/nx-docker/image-platforms.js <image project root>` prints the platforms that project's docker-build
// builds, one per line (none set: this machine's), as the plugin resolves them (src/core/workspace/image-platforms.ts).
// Run from the workspace root. JavaScript, as the other entries, so no TypeScript transpiler loads (compiled.js).
process.exitCode = require('./compiled').requireCompiled('core/workspace/image-platforms').main(process.argv.slice(2));
