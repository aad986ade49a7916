import { crossEntropy } from '../functional/crossEntropy.js';
import { logSumExp } from '../functional/logSumExp.js';
import { softmax } from '../functional/softmax.js';
import { fromTypedArray } from '../tensor/tensor.js';
import { t } from '../i18n/translate.js';
import { checkLang, type Lang } from '../i18n/lang.js';
import { formatNumber } from '../i18n/format.js';
import { fail, formatValue } from '../errors.js';
import { checkClassLogits } from '../figures/classification.js';
import { expOverflowThreshold, naiveSoftmaxRows } from '../figures/softmaxFigure.js';
import { checkPositive } from '../figures/options.js';
import { SOFTMAX_FORMULAS } from './formulas.js';
import type { Formula } from '../functional/lossSpec.js';
import { formula, paragraph, type ExplainSection, type Explanation } from './types.js';
import { type InformationNumbers, informationNumbers, type QuotientRuleNumbers, quotientRuleNumbers } from './softmaxQuestions.js';
import { type MistakenCrossEntropy, mistakenLossFloor, probabilitiesAsLogits, type TrainingSteps, trainLogits } from './logitsMistake.js';
import { formatPrinted, informationSection, logitsSection, quotientRuleSection, sameCodeSection } from './questionSections.js';

export interface SoftmaxExplanationOptions {
  readonly lang?: Lang;
  /** The worked example's logits (default [2, 1, 0.1]) and true class (default 0). */
  readonly logits?: readonly number[];
  readonly target?: number;
  /** Temperatures showing argmax-like and uniform-like softmax (default 0.1 and 10). */
  readonly lowTemperature?: number;
  readonly highTemperature?: number;
  /** Logits that overflow exp in float64 (default [1000, 999, 998]). */
  readonly bigLogits?: readonly number[];
  /** The "probabilities by mistake" training run: SGD's learning rate (default 1) and the steps reported (default 0, 1, 10, 100). */
  readonly learningRate?: number;
  readonly trainingSteps?: readonly number[];
}

function vector(values: readonly number[]): ReturnType<typeof fromTypedArray> {
  return fromTypedArray(Float64Array.from(values), [values.length]);
}

/** Every number the softmax and cross-entropy texts quote, computed by the library (float64). */
export function softmaxNumbers(options: SoftmaxExplanationOptions = {}) {
  return computeSoftmax(options).numbers;
}

/** The numbers of the learner questions' sections (questions.ts), structured. */
export interface SoftmaxQuestionNumbers {
  readonly quotient: QuotientRuleNumbers;
  readonly information: InformationNumbers;
  readonly mistake: MistakenCrossEntropy;
  readonly floor: number;
  readonly training: TrainingSteps;
}

function computeSoftmax(options: SoftmaxExplanationOptions) {
  const fn = 'explainSoftmax';
  const { logits, target } = checkClassLogits({ logits: options.logits ?? [2, 1, 0.1], target: options.target ?? 0 }, fn);
  const lowT = checkPositive(options.lowTemperature ?? 0.1, fn, 'lowTemperature');
  const learningRate = checkPositive(options.learningRate ?? 1, fn, 'learningRate');
  const trainingSteps = options.trainingSteps ?? [0, 1, 10, 100];
  for (const step of trainingSteps) {
    if (!Number.isInteger(step) || step < 0 || step > 10_000) {
      fail({ fn, argument: 'trainingSteps', value: formatValue(trainingSteps), rule: 'each step must be an integer from 0 to 10000' });
    }
  }
  const highT = checkPositive(options.highTemperature ?? 10, fn, 'highTemperature');
  const bigLogits = checkClassLogits({ logits: options.bigLogits ?? [1000, 999, 998], target: 0 }, fn).logits;

  const exps = logits.map((z) => Math.exp(z));
  const input = fromTypedArray(Float64Array.from(logits), [1, logits.length], { requiresGrad: true });
  const loss = crossEntropy(input, fromTypedArray(Int32Array.of(target), [1]));
  loss.backward();
  const naive = naiveSoftmaxRows({ logits: bigLogits }).rows;
  const max = Math.max(...bigLogits);
  const probs = Array.from(softmax(vector(logits)).data);
  const quotient = quotientRuleNumbers(logits, target);
  const information = informationNumbers(logits, target);
  const mistake = probabilitiesAsLogits(probs, target);
  const floor = mistakenLossFloor(logits.length, target);
  const training = trainLogits(logits, target, { lr: learningRate, steps: trainingSteps });
  const questions: SoftmaxQuestionNumbers = { quotient, information, mistake, floor, training };
  const numbers = {
    logits,
    target,
    exps,
    sum: exps.reduce((a, b) => a + b, 0),
    probs,
    lowT,
    lowProbs: Array.from(softmax(vector(logits), -1, { temperature: lowT }).data),
    highT,
    highProbs: Array.from(softmax(vector(logits), -1, { temperature: highT }).data),
    loss: loss.item(),
    lse: logSumExp(vector(logits)).item(),
    logitTarget: logits[target],
    gradient: Array.from(input.grad?.data ?? []),
    float32: expOverflowThreshold('float32'),
    float64: expOverflowThreshold('float64'),
    bigLogits,
    naiveExps: naive.map((r) => r.expFloat64),
    naive: naive.map((r) => r.naiveFloat64),
    shifted: bigLogits.map((z) => z - max),
    stable: Array.from(softmax(vector(bigLogits)).data),
    // The learner questions (questions.ts): the quotient rule, information, probabilities passed by mistake.
    jacobian: quotient.jacobian,
    jacobianRow: quotient.row,
    viaQuotient: quotient.viaQuotient,
    information: information.information,
    informationBits: information.informationBits,
    entropy: information.entropy,
    uniformEntropy: information.uniform,
    mistakenLoss: mistake.loss,
    mistakenGradient: mistake.gradLogits,
    mistakenFloor: floor,
    learningRate,
    trainingSteps: training.steps,
    trainedRight: training.right,
    trainedMistaken: training.mistaken,
    trainedRightLoss: training.rightLoss,
    trainedMistakenLoss: training.mistakenLoss,
  };
  return { numbers, questions };
}

type SoftmaxNumbers = ReturnType<typeof softmaxNumbers>;

/** The numbers as template parameters: lists as `[a, b, c]`, thresholds with 5 digits. */
function params(n: SoftmaxNumbers): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(n)) out[key] = Array.isArray(value) ? formatPrinted(value) : (value as number);
  out.float32 = formatNumber(n.float32, 5);
  out.float64 = formatNumber(n.float64, 5);
  return out;
}

function sections(lang: Lang, n: SoftmaxNumbers, q: SoftmaxQuestionNumbers, ids: readonly SectionId[]): ExplainSection[] {
  const p = params(n);
  const basic = (id: string, key: BasicSectionId, f: Formula): ExplainSection => ({
    id,
    heading: t(lang, `explain.softmax.heading.${key}`),
    blocks: [paragraph(t(lang, `explain.softmax.${key}`, p)), formula(f)],
  });
  const all: Record<SectionId, () => ExplainSection> = {
    construction: () => basic('construction', 'construction', SOFTMAX_FORMULAS.construction),
    soft: () => basic('soft', 'soft', SOFTMAX_FORMULAS.temperature),
    crossEntropy: () => basic('cross-entropy', 'crossEntropy', SOFTMAX_FORMULAS.crossEntropy),
    logSoftmax: () => basic('log-softmax', 'logSoftmax', SOFTMAX_FORMULAS.logSoftmax),
    gradient: () => basic('gradient', 'gradient', SOFTMAX_FORMULAS.gradient),
    stable: () => basic('stable', 'stable', SOFTMAX_FORMULAS.stable),
    information: () => informationSection(lang, q.information),
    quotientRule: () => quotientRuleSection(lang, { ...q.quotient, target: n.target }),
    logits: () =>
      logitsSection(lang, {
        logits: n.logits,
        target: n.target,
        probs: n.probs,
        loss: n.loss,
        gradient: n.gradient,
        mistake: q.mistake,
        floor: q.floor,
        classes: n.logits.length,
        training: q.training,
      }),
    sameCode: () => sameCodeSection(lang),
  };
  return ids.map((id) => all[id]());
}

type BasicSectionId = 'construction' | 'soft' | 'crossEntropy' | 'logSoftmax' | 'gradient' | 'stable';
/** Sections answering the learner questions (questions.ts). */
type QuestionSectionId = 'information' | 'quotientRule' | 'logits' | 'sameCode';
type SectionId = BasicSectionId | QuestionSectionId;

/**
 * Softmax for `losslab explain softmax` and the web lab's softmax playground: exp for positivity
 * then normalise; why "soft" max (temperature); self-information and entropy; cross-entropy from
 * information theory; the gradient ŷ − y for i = c and i ≠ c, and again by the quotient rule with
 * the example's Jacobian; what passing probabilities to cross-entropy does (with a few training
 * steps run); the max-subtraction trick with a computed float64 overflow example; and the same code
 * in NumPy, PyTorch and losslab.
 */
export function explainSoftmax(options: SoftmaxExplanationOptions = {}): Explanation {
  const lang = checkLang(options.lang, 'explainSoftmax');
  const { numbers: n, questions: q } = computeSoftmax(options);
  return {
    topic: 'softmax',
    lang,
    title: t(lang, 'explain.title.softmax'),
    sections: sections(lang, n, q, ['construction', 'soft', 'information', 'crossEntropy', 'gradient', 'quotientRule', 'logits', 'stable', 'sameCode']),
    numbers: n,
  };
}

/**
 * Cross-entropy for `losslab explain cross-entropy`: self-information and entropy, information
 * theory, the log-softmax form logsumexp(o) − o_c (PyTorch's F.cross_entropy), the gradient ŷ − y
 * (log-sum-exp and quotient-rule routes), probabilities passed by mistake, the stable computation
 * and the same code in NumPy, PyTorch and losslab.
 */
export function explainCrossEntropy(options: SoftmaxExplanationOptions = {}): Explanation {
  const lang = checkLang(options.lang, 'explainCrossEntropy');
  const { numbers: n, questions: q } = computeSoftmax(options);
  return {
    topic: 'cross-entropy',
    lang,
    title: t(lang, 'explain.title.crossEntropy'),
    sections: sections(lang, n, q, ['information', 'crossEntropy', 'logSoftmax', 'gradient', 'quotientRule', 'logits', 'stable', 'sameCode']),
    numbers: n,
  };
}
