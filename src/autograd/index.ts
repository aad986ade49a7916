export type { GradNode } from './node.js';
export { noGrad, isGradEnabled } from './gradMode.js';
export { record } from './record.js';
export { gradcheck } from './gradcheck.js';
export type { GradcheckOptions, GradcheckResult } from './gradcheck.js';
