// @ts-check
// executors.json points here (`./executors.js#dockerBuild`), so an executor process loads compiled JavaScript
// instead of registering a TypeScript transpiler (compiled.js says why). Each module is loaded when its executor runs.
const { requireCompiled } = require('./compiled');

const fromSource = (path) => (options, context) => requireCompiled(path).default(options, context);

module.exports = {
  dockerBuild: fromSource('executors/docker-build/docker-build.impl'),
  dockerPrune: fromSource('executors/docker-prune/docker-prune.impl'),
  releaseTag: fromSource('executors/release-tag/release-tag.impl'),
  releasePublish: fromSource('executors/release-publish/release-publish.impl'),
};
