export type { GradNode, GraphTensor, Backward } from './node.js';
export { noGrad, enableGrad, isGradEnabled } from './gradMode.js';
