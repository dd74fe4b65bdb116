export { createDependencies, createNodesV2, preTasksExecution } from './plugins/plugin';
