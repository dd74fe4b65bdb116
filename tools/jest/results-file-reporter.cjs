// Writes each Nx jest task's counts to dist/test-results/<project>-<target>.json, the files that the README's
// test command (tools/scripts/run-tests.mjs) sums into one closing line. A jest reporter rather than jest's
// --outputFile because that one does not create its folder and cannot name the Nx target.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class ResultsFileReporter {
  onRunComplete(_testContexts, results) {
    const project = process.env.NX_TASK_TARGET_PROJECT;
    const target = process.env.NX_TASK_TARGET_TARGET;
    if (!project || !target) return; // jest run by hand, outside Nx: nothing to sum.
    const dir = join(__dirname, '..', '..', 'dist', 'test-results');
    mkdirSync(dir, { recursive: true });
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests, numRuntimeErrorTestSuites } = results;
    const counts = { numPassedTests, numFailedTests, numPendingTests, numTodoTests, numRuntimeErrorTestSuites };
    writeFileSync(join(dir, `${project}-${target}.json`), `${JSON.stringify(counts, null, 2)}\n`);
  }
}

module.exports = ResultsFileReporter;
