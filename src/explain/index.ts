// Public API of src/explain/ — derivations as structured data (sections of markdown and
// KaTeX-ready formulas) and their text/markdown renderings, in every catalogue language.
export type { ExplainBlock, ExplainSection, ExplainTopic, Explanation } from './types.js';
export { LIKELIHOOD_FORMULAS, SOFTMAX_FORMULAS, BCE_FORMULAS } from './formulas.js';
export type { LossExplanationOptions } from './lossExplanation.js';
export { explainLoss } from './lossExplanation.js';
export type { BceExplanationOptions } from './bceExplanation.js';
export { explainBce } from './bceExplanation.js';
export type { SoftmaxExplanationOptions } from './softmaxExplanation.js';
export { explainSoftmax, explainCrossEntropy, softmaxNumbers } from './softmaxExplanation.js';
export { explanationToMarkdown, explanationToText } from './render.js';
