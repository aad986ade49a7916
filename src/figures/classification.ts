import { crossEntropy } from '../functional/crossEntropy.js';
import { softmax } from '../functional/softmax.js';
import { log, neg, sum } from '../tensor/ops/index.js';
import { fromTypedArray } from '../tensor/tensor.js';
import { fail, formatValue } from '../errors.js';
import { t } from '../i18n/translate.js';
import { checkLang, type Lang } from '../i18n/lang.js';
import { formatList } from '../i18n/format.js';
import { arangeGrid, checkFinite, checkPoints, checkRange, checkSize } from './options.js';
import type { VegaLiteSpec } from './spec.js';
import { CURVE_COLORS, DEFAULT_HEIGHT, DEFAULT_WIDTH } from './theme.js';
import { curvesSpec } from './curvesSpec.js';

/** One grid point: the logit of the true class and the loss, probability and gradient there. */
export interface ClassificationCurveRow {
  readonly logit: number;
  readonly loss: number;
  readonly probability: number;
  readonly gradient: number;
}

/** The grid of logits z, `[from, to)` with `points` points (default [−6, 6), 1000 points). */
export interface LogitRange {
  readonly from?: number;
  readonly to?: number;
  readonly points?: number;
}

export interface CrossEntropyCurveOptions extends LogitRange {
  /** All logits; the one at `target` is replaced by the x axis value. Default [0, 0, 0]. */
  readonly logits?: readonly number[];
  /** The true class c (default 0). */
  readonly target?: number;
}

function grid(range: LogitRange, fn: string): Float64Array {
  const from = range.from ?? -6;
  const to = range.to ?? 6;
  checkRange(from, to, fn);
  return arangeGrid(from, to, checkPoints(range.points ?? 1000, fn)).xs;
}

/** Resolves cross-entropy's logits and true class, checking them. */
export function checkClassLogits(options: CrossEntropyCurveOptions, fn: string): { logits: number[]; target: number } {
  const logits = [...(options.logits ?? [0, 0, 0])];
  if (logits.length < 2) fail({ fn, argument: 'logits', value: formatValue(logits), rule: 'it needs at least 2 classes' });
  for (const z of logits) checkFinite(z, fn, 'logits');
  const target = options.target ?? 0;
  if (!Number.isInteger(target) || target < 0 || target >= logits.length) {
    fail({ fn, argument: 'target', value: formatValue(target), rule: `the true class must be an integer in [0, ${logits.length - 1}] (C = ${logits.length})` });
  }
  return { logits, target };
}

/**
 * Cross-entropy against the logit z of the true class c, the other logits fixed: the loss
 * −log p = logsumexp(z) − z_c from the library's `crossEntropy` (`F.cross_entropy`,
 * reduction 'none'), the probability p = softmax(z)_c from `softmax`, and the gradient ∂l/∂z_c from
 * the library's backward pass (which is p − 1).
 */
export function crossEntropyCurves(options: CrossEntropyCurveOptions = {}): { logits: number[]; target: number; rows: ClassificationCurveRow[] } {
  const fn = 'crossEntropyCurves';
  const { logits, target } = checkClassLogits(options, fn);
  return { logits, target, rows: crossEntropyRows(logits, target, grid(options, fn)) };
}

/** Cross-entropy's loss, probability and gradient with the true class's logit set to each of `xs`. */
function crossEntropyRows(logits: readonly number[], target: number, xs: Float64Array): ClassificationCurveRow[] {
  const n = xs.length;
  const c = logits.length;
  const data = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < c; k++) data[i * c + k] = k === target ? xs[i] : logits[k];
  }
  const labels = new Int32Array(n).fill(target);
  const input = fromTypedArray(data, [n, c], { requiresGrad: true });
  const losses = crossEntropy(input, fromTypedArray(labels, [n]), { reduction: 'none' }).data;
  crossEntropy(input, fromTypedArray(labels, [n]), { reduction: 'sum' }).backward();
  const gradient = input.grad?.data;
  if (!gradient) throw new Error('crossEntropy recorded no gradient');
  const probabilities = softmax(fromTypedArray(data, [n, c]), -1).data;
  return Array.from(xs, (logit, i) => ({ logit, loss: losses[i], probability: probabilities[i * c + target], gradient: gradient[i * c + target] }));
}

/** The x axis of cross-entropy's figure: the logit z_c of the true class, or its probability p = softmax(z)_c. */
export type CrossEntropyAxis = 'logit' | 'probability';
export const CROSS_ENTROPY_AXES: readonly CrossEntropyAxis[] = ['logit', 'probability'];

/** One grid point against the probability p of the true class: the loss −log p, the likelihood p and ∂l/∂p = −1/p. */
export interface ProbabilityCurveRow {
  readonly probability: number;
  readonly loss: number;
  readonly likelihood: number;
  readonly gradient: number;
}

/** The default grid of probabilities: [0.02, 1) (the gradient −1/p runs off to −∞ at 0). */
export const PROBABILITY_RANGE = { from: 0.02, to: 1 } as const;

/**
 * Cross-entropy against the probability p of the true class: the loss l = −log p (the library's
 * `log` and `neg`), the likelihood of the label, P(y = c) = p, and the gradient ∂l/∂p = −1/p from
 * the library's backward pass. The range must lie in (0, 1]: [from, to) with 0 < from < to ≤ 1.
 */
export function crossEntropyProbabilityCurves(range: LogitRange = {}): { rows: ProbabilityCurveRow[] } {
  const fn = 'crossEntropyProbabilityCurves';
  const from = range.from ?? PROBABILITY_RANGE.from;
  const to = range.to ?? PROBABILITY_RANGE.to;
  checkRange(from, to, fn);
  if (from <= 0) fail({ fn, argument: 'from', value: formatValue(from), rule: 'a probability range must start above 0 (−log 0 is infinite)' });
  if (to > 1) fail({ fn, argument: 'to', value: formatValue(to), rule: 'a probability range must end at 1 or below' });
  return { rows: probabilityRows(arangeGrid(from, to, checkPoints(range.points ?? 1000, fn)).xs) };
}

/** −log p, p and ∂(−log p)/∂p at each probability of `xs`, by the library's `log`, `neg` and backward pass. */
function probabilityRows(xs: Float64Array): ProbabilityCurveRow[] {
  const p = fromTypedArray(xs, [xs.length], { requiresGrad: true });
  const losses = neg(log(p));
  sum(losses).backward();
  const gradient = p.grad?.data;
  if (!gradient) throw new Error('log recorded no gradient');
  return Array.from(xs, (probability, i) => ({ probability, loss: losses.data[i], likelihood: probability, gradient: gradient[i] }));
}

/** Cross-entropy's three numbers at one point: the true class's logit z_c (other logits fixed) and its probability. */
export interface CrossEntropyPoint {
  readonly logit: number;
  readonly probability: number;
  readonly loss: number;
  /** ∂l/∂z_c = p − 1 (the library's cross-entropy backward). */
  readonly gradientLogit: number;
  /** ∂l/∂p = −1/p (the library's backward through −log p). */
  readonly gradientProbability: number;
}

/**
 * The point of both cross-entropy figures where the true class's logit is `logit` (the other logits
 * and the class from `options`, by default [0, 0, 0] and 0, as the figure's).
 */
export function crossEntropyPoint(logit: number, options: Omit<CrossEntropyCurveOptions, keyof LogitRange> = {}): CrossEntropyPoint {
  const fn = 'crossEntropyPoint';
  checkFinite(logit, fn, 'logit');
  const { logits, target } = checkClassLogits(options, fn);
  const [row] = crossEntropyRows(logits, target, Float64Array.of(logit));
  const [atP] = probabilityRows(Float64Array.of(row.probability));
  return { logit, probability: row.probability, loss: row.loss, gradientLogit: row.gradient, gradientProbability: atP.gradient };
}

export interface CrossEntropyFigureOptions extends CrossEntropyCurveOptions {
  /** The x axis: the true class's logit (default) or its probability. */
  readonly against?: CrossEntropyAxis;
  readonly lang?: Lang;
  readonly width?: number;
  readonly height?: number;
}

/**
 * Cross-entropy's own figure, the counterpart of d2l's regression-loss figure for softmax
 * regression: against the logit of the true class (default) the loss −log p (blue), the likelihood
 * p (green) and the gradient p − 1 (orange); with `against: 'probability'` the loss −log p, the
 * likelihood p and the gradient −1/p against p itself. A Vega-Lite spec with the rows (`logit,
 * loss, probability, gradient`, or `probability, loss, likelihood, gradient`) inline.
 * (Binary losses such as BCE have their figure in lossFigure.ts, from the loss registry.)
 */
export function crossEntropyFigure(options: CrossEntropyFigureOptions = {}): VegaLiteSpec {
  const fn = 'crossEntropyFigure';
  const lang = checkLang(options.lang, fn);
  const width = checkSize(options.width ?? DEFAULT_WIDTH, fn, 'width');
  const height = checkSize(options.height ?? DEFAULT_HEIGHT, fn, 'height');
  const against = options.against ?? 'logit';
  if (!CROSS_ENTROPY_AXES.includes(against))
    fail({ fn, argument: 'against', value: formatValue(against), rule: `it must be one of ${CROSS_ENTROPY_AXES.join(', ')}` });
  const common = { width, height, yTitle: t(lang, 'figure.axis.value'), legendTitle: t(lang, 'figure.legend.curves') };
  if (against === 'probability') {
    if (options.logits !== undefined || options.target !== undefined) {
      fail({
        fn,
        argument: options.logits !== undefined ? 'logits' : 'target',
        value: formatValue(options.logits ?? options.target),
        rule: 'against the probability the curves do not depend on the logits or the class; leave it out',
      });
    }
    const { rows } = crossEntropyProbabilityCurves(options);
    return curvesSpec({
      ...common,
      title: t(lang, 'figure.title.crossEntropyProbability'),
      rows: rows.map((row) => ({ ...row })),
      x: { field: 'probability', title: t(lang, 'figure.axis.probabilityTrue'), domain: [rows[0].probability, options.to ?? PROBABILITY_RANGE.to] },
      yDomain: [-5, 4],
      curves: [
        { field: 'loss', label: t(lang, 'figure.curve.classLoss'), color: CURVE_COLORS.loss },
        { field: 'likelihood', label: t(lang, 'figure.curve.classLikelihood'), color: CURVE_COLORS.likelihood },
        { field: 'gradient', label: t(lang, 'figure.curve.probabilityGradient'), color: CURVE_COLORS.gradient },
      ],
    });
  }
  const curves = crossEntropyCurves(options);
  const rows = curves.rows;
  const others = curves.logits.map((z, k) => (k === curves.target ? NaN : z)).filter((z) => !Number.isNaN(z));
  const xs = rows.map((row) => row.logit);
  return curvesSpec({
    ...common,
    title: t(lang, 'figure.title.crossEntropy'),
    rows: rows.map((row) => ({ ...row })),
    x: { field: 'logit', title: t(lang, 'figure.axis.logitTrue', { target: curves.target, others: formatList(others) }), domain: [xs[0], options.to ?? 6] },
    curves: [
      { field: 'loss', label: t(lang, 'figure.curve.classLoss'), color: CURVE_COLORS.loss },
      { field: 'probability', label: t(lang, 'figure.curve.probability'), color: CURVE_COLORS.likelihood },
      { field: 'gradient', label: t(lang, 'figure.curve.classGradient'), color: CURVE_COLORS.gradient },
    ],
  });
}
