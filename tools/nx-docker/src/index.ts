export { createNodes } from './plugins/create-nodes';
export { createDependencies } from './plugins/create-dependencies';
export { preTasksExecution } from './plugins/pre-tasks-execution';
