import { crossEntropy } from '../functional/crossEntropy.js';
import { softmax } from '../functional/softmax.js';
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
  const xs = grid(options, fn);
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
  const rows = Array.from(xs, (logit, i) => ({ logit, loss: losses[i], probability: probabilities[i * c + target], gradient: gradient[i * c + target] }));
  return { logits, target, rows };
}

export interface CrossEntropyFigureOptions extends CrossEntropyCurveOptions {
  readonly lang?: Lang;
  readonly width?: number;
  readonly height?: number;
}

/**
 * Cross-entropy plotted against the logit of the true class (loss blue, probability green,
 * gradient orange), as a Vega-Lite spec with the rows `logit, loss, probability, gradient` inline.
 * (Binary losses such as BCE have their figure in lossFigure.ts, from the loss registry.)
 */
export function crossEntropyFigure(options: CrossEntropyFigureOptions = {}): VegaLiteSpec {
  const fn = 'crossEntropyFigure';
  const lang = checkLang(options.lang, fn);
  const width = checkSize(options.width ?? DEFAULT_WIDTH, fn, 'width');
  const height = checkSize(options.height ?? DEFAULT_HEIGHT, fn, 'height');
  const curves = crossEntropyCurves(options);
  const rows = curves.rows;
  const others = curves.logits.map((z, k) => (k === curves.target ? NaN : z)).filter((z) => !Number.isNaN(z));
  const xs = rows.map((row) => row.logit);
  return curvesSpec({
    title: t(lang, 'figure.title.crossEntropy'),
    width,
    height,
    rows: rows.map((row) => ({ ...row })),
    x: { field: 'logit', title: t(lang, 'figure.axis.logitTrue', { target: curves.target, others: formatList(others) }), domain: [xs[0], options.to ?? 6] },
    yTitle: t(lang, 'figure.axis.value'),
    legendTitle: t(lang, 'figure.legend.curves'),
    curves: [
      { field: 'loss', label: t(lang, 'figure.curve.classLoss'), color: CURVE_COLORS.loss },
      { field: 'probability', label: t(lang, 'figure.curve.probability'), color: CURVE_COLORS.likelihood },
      { field: 'gradient', label: t(lang, 'figure.curve.classGradient'), color: CURVE_COLORS.gradient },
    ],
  });
}
