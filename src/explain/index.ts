// Public API of src/explain/ — derivations as structured data (sections of markdown and
// KaTeX-ready formulas) and their text/markdown renderings, in every catalogue language.
export type { CodeVersion, ExplainBlock, ExplainNumber, ExplainSection, ExplainTopic, Explanation } from './types.js';
export { SOFTMAX_FORMULAS } from './formulas.js';
export type { FigureRequest, LossExplanationOptions } from './lossExplanation.js';
export { explainLoss, figureCall } from './lossExplanation.js';
export type { SoftmaxExplanationOptions } from './softmaxExplanation.js';
export { explainSoftmax, explainCrossEntropy, softmaxNumbers } from './softmaxExplanation.js';
export type { SoftmaxQuestionNumbers } from './softmaxExplanation.js';
export { explanationToMarkdown, explanationToText } from './render.js';
export type { LearnerQuestion, QuestionId } from './questions.js';
export { LEARNER_QUESTIONS } from './questions.js';
export type { CrossEntropyFigureCommand } from './questionSections.js';
export { crossEntropyFigureCall } from './questionSections.js';
export type { DataBatch, DataNumbers, HalfNumbers } from './regressionQuestions.js';
export { dataNumbers, defaultBatch, halfNumbers, DEFAULT_BATCH } from './regressionQuestions.js';
export type { InformationNumbers, QuotientRuleNumbers } from './softmaxQuestions.js';
export { informationNumbers, quotientRuleNumbers, softmaxJacobian } from './softmaxQuestions.js';
export type { MistakenCrossEntropy, TrainingSteps } from './logitsMistake.js';
export { probabilitiesAsLogits, trainLogits, mistakenLossFloor } from './logitsMistake.js';
export type { CodeSnippet, SnippetId, SnippetLanguage } from './snippets.js';
export { SNIPPETS, SNIPPET_LANGUAGES, snippetCode, snippetOutputs } from './snippets.js';
export type { TourOptions } from './tour.js';
export { tourText } from './tour.js';
