// @ts-check
// generators.json points here (`./generators.js#imageProject`), for the same reason as executors.js.
const { requireCompiled } = require('./compiled');

module.exports = {
  imageProject: (tree, options) => requireCompiled('generators/image-project/generator').default(tree, options),
};
