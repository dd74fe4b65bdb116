import baseConfig from '../../eslint.config.mjs';

// eslint-plugin-react / jsx-a11y are not installed at the root, so the shared TypeScript rules apply as-is.
export default [...baseConfig];
