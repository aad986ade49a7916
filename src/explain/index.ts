// Public API of src/explain/ — derivations as structured data (sections of markdown and
// KaTeX-ready formulas) and their text/markdown renderings, in every catalogue language.
export type { ExplainBlock, ExplainSection, ExplainTopic, Explanation } from './types.js';
export { SOFTMAX_FORMULAS } from './formulas.js';
export type { FigureRequest, LossExplanationOptions } from './lossExplanation.js';
export { explainLoss, figureCall } from './lossExplanation.js';
export type { SoftmaxExplanationOptions } from './softmaxExplanation.js';
export { explainSoftmax, explainCrossEntropy, softmaxNumbers } from './softmaxExplanation.js';
export { explanationToMarkdown, explanationToText } from './render.js';
