// Public API of src/functional/ — explicit exports only.

// Softmax family, classification losses (engineer numerics-softmax).
export type { Reduction, KlReduction } from './reduction.js';
export { checkReduction, REDUCTIONS } from './reduction.js';

// ---- Regression losses and pointwise likelihoods (engineer numerics-regression): append below. ----
