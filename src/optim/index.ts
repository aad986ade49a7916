// torch.optim: optimizers over module parameters, with parameter groups, and lr schedulers.
export { Optimizer } from './optimizer.js';
export type { Hyper, ParamGroup, ParamGroupSpec, ParamState, OptimizerStateDict } from './optimizer.js';
export { SGD } from './sgd.js';
export type { SGDOptions } from './sgd.js';
export { Adam, AdamW } from './adam.js';
export type { AdamOptions, AdamArgs } from './adam.js';
export { LRScheduler, StepLR, CosineAnnealingLR, LambdaLR } from './lrScheduler.js';
export { sgdUpdate, adamUpdate } from './updates.js';
export type { SgdHyper, AdamHyper } from './updates.js';
