import { crossEntropy } from '../functional/crossEntropy.js';
import { logSumExp } from '../functional/logSumExp.js';
import { softmax } from '../functional/softmax.js';
import { fromTypedArray } from '../tensor/tensor.js';
import { t } from '../i18n/translate.js';
import { checkLang, type Lang } from '../i18n/lang.js';
import { formatList, formatNumber } from '../i18n/format.js';
import { checkClassLogits } from '../figures/classification.js';
import { expOverflowThreshold, naiveSoftmaxRows } from '../figures/softmaxFigure.js';
import { checkPositive } from '../figures/options.js';
import { SOFTMAX_FORMULAS } from './formulas.js';
import { formula, paragraph, type ExplainSection, type Explanation } from './types.js';

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
}

function vector(values: readonly number[]): ReturnType<typeof fromTypedArray> {
  return fromTypedArray(Float64Array.from(values), [values.length]);
}

/** Every number the softmax and cross-entropy texts quote, computed by the library (float64). */
export function softmaxNumbers(options: SoftmaxExplanationOptions = {}) {
  const fn = 'explainSoftmax';
  const { logits, target } = checkClassLogits({ logits: options.logits ?? [2, 1, 0.1], target: options.target ?? 0 }, fn);
  const lowT = checkPositive(options.lowTemperature ?? 0.1, fn, 'lowTemperature');
  const highT = checkPositive(options.highTemperature ?? 10, fn, 'highTemperature');
  const bigLogits = checkClassLogits({ logits: options.bigLogits ?? [1000, 999, 998], target: 0 }, fn).logits;

  const exps = logits.map((z) => Math.exp(z));
  const input = fromTypedArray(Float64Array.from(logits), [1, logits.length], { requiresGrad: true });
  const loss = crossEntropy(input, fromTypedArray(Int32Array.of(target), [1]));
  loss.backward();
  const naive = naiveSoftmaxRows({ logits: bigLogits }).rows;
  const max = Math.max(...bigLogits);
  return {
    logits,
    target,
    exps,
    sum: exps.reduce((a, b) => a + b, 0),
    probs: Array.from(softmax(vector(logits)).data),
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
  };
}

type SoftmaxNumbers = ReturnType<typeof softmaxNumbers>;

/** The numbers as template parameters: lists as `[a, b, c]`, thresholds with 5 digits. */
function params(n: SoftmaxNumbers): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(n)) out[key] = Array.isArray(value) ? formatList(value) : (value as number);
  out.float32 = formatNumber(n.float32, 5);
  out.float64 = formatNumber(n.float64, 5);
  return out;
}

function sections(lang: Lang, n: SoftmaxNumbers, ids: readonly SectionId[]): ExplainSection[] {
  const p = params(n);
  const all: Record<SectionId, ExplainSection> = {
    construction: {
      id: 'construction',
      heading: t(lang, 'explain.softmax.heading.construction'),
      blocks: [paragraph(t(lang, 'explain.softmax.construction', p)), formula(SOFTMAX_FORMULAS.construction)],
    },
    soft: {
      id: 'soft',
      heading: t(lang, 'explain.softmax.heading.soft'),
      blocks: [paragraph(t(lang, 'explain.softmax.soft', p)), formula(SOFTMAX_FORMULAS.temperature)],
    },
    crossEntropy: {
      id: 'cross-entropy',
      heading: t(lang, 'explain.softmax.heading.crossEntropy'),
      blocks: [paragraph(t(lang, 'explain.softmax.crossEntropy', p)), formula(SOFTMAX_FORMULAS.crossEntropy)],
    },
    logSoftmax: {
      id: 'log-softmax',
      heading: t(lang, 'explain.softmax.heading.logSoftmax'),
      blocks: [paragraph(t(lang, 'explain.softmax.logSoftmax', p)), formula(SOFTMAX_FORMULAS.logSoftmax)],
    },
    gradient: {
      id: 'gradient',
      heading: t(lang, 'explain.softmax.heading.gradient'),
      blocks: [paragraph(t(lang, 'explain.softmax.gradient', p)), formula(SOFTMAX_FORMULAS.gradient)],
    },
    stable: {
      id: 'stable',
      heading: t(lang, 'explain.softmax.heading.stable'),
      blocks: [paragraph(t(lang, 'explain.softmax.stable', p)), formula(SOFTMAX_FORMULAS.stable)],
    },
  };
  return ids.map((id) => all[id]);
}

type SectionId = 'construction' | 'soft' | 'crossEntropy' | 'logSoftmax' | 'gradient' | 'stable';

/**
 * Softmax for `losslab explain softmax` and the web lab's softmax playground: exp for positivity
 * then normalise; why "soft" max (temperature); cross-entropy from information theory; the gradient
 * ŷ − y for i = c and i ≠ c; and the max-subtraction trick with a computed float64 overflow example.
 */
export function explainSoftmax(options: SoftmaxExplanationOptions = {}): Explanation {
  const lang = checkLang(options.lang, 'explainSoftmax');
  const n = softmaxNumbers(options);
  return {
    topic: 'softmax',
    lang,
    title: t(lang, 'explain.title.softmax'),
    sections: sections(lang, n, ['construction', 'soft', 'crossEntropy', 'gradient', 'stable']),
    numbers: n,
  };
}

/**
 * Cross-entropy for `losslab explain cross-entropy`: information theory, the log-softmax form
 * logsumexp(o) − o_c (PyTorch's F.cross_entropy), the gradient ŷ − y and the stable computation.
 */
export function explainCrossEntropy(options: SoftmaxExplanationOptions = {}): Explanation {
  const lang = checkLang(options.lang, 'explainCrossEntropy');
  const n = softmaxNumbers(options);
  return {
    topic: 'cross-entropy',
    lang,
    title: t(lang, 'explain.title.crossEntropy'),
    sections: sections(lang, n, ['crossEntropy', 'logSoftmax', 'gradient', 'stable']),
    numbers: n,
  };
}
