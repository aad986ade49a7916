export type { GradNode } from './node.js';
export { noGrad, isGradEnabled } from './gradMode.js';
export { record } from './record.js';
