import { pointwiseLosses, type PointwiseParams } from '../functional/pointwise.js';
import { fail, formatValue } from '../errors.js';
import { t } from '../i18n/translate.js';
import { checkLang, type Lang } from '../i18n/lang.js';
import { LOSS_FORMULAS } from './formulas.js';
import { arangeGrid, checkFinite, checkPoints, checkPositive, checkRange, checkSize } from './options.js';
import type { VegaLiteSpec } from './spec.js';
import { CURVE_COLORS, DEFAULT_HEIGHT, DEFAULT_WIDTH } from './theme.js';
import { curvesSpec } from './curvesSpec.js';

/** The regression losses that have a d2l-style figure. */
export const REGRESSION_LOSSES = ['l2', 'mse', 'l1', 'huber', 'smooth-l1', 'gaussian-nll'] as const;
export type RegressionLossId = (typeof REGRESSION_LOSSES)[number];

export function isRegressionLoss(value: string): value is RegressionLossId {
  return (REGRESSION_LOSSES as readonly string[]).includes(value);
}

/** What to plot: the loss, the fixed target y, the range of predictions y′ and the loss's parameters. */
export interface RegressionCurveOptions {
  readonly loss: RegressionLossId;
  /** The target y (default 0). */
  readonly target?: number;
  /** The range of the prediction y′, `[from, to)` (default [y − 5, y + 5): d2l's [−5, 5) at y = 0). */
  readonly from?: number;
  readonly to?: number;
  /** Grid points (default 1000, d2l's `arange(-5, 5, 0.01)`). */
  readonly points?: number;
  /** Huber's δ (default 1). */
  readonly delta?: number;
  /** Smooth L1's β (default 1). */
  readonly beta?: number;
  /** Gaussian NLL's standard deviation σ (default 1). */
  readonly sigma?: number;
}

/** One grid point of the figure: the prediction and the three curves' values there. */
export interface RegressionCurveRow {
  readonly prediction: number;
  readonly loss: number;
  readonly likelihood: number;
  readonly gradient: number;
}

export interface RegressionCurves {
  readonly loss: RegressionLossId;
  readonly target: number;
  readonly from: number;
  readonly to: number;
  readonly step: number;
  readonly params: Required<PointwiseParams>;
  readonly rows: RegressionCurveRow[];
}

/** How d2l scales the likelihood curve: 10 × a density over the plotted range (see `regressionCurves`). */
export const D2L_LIKELIHOOD_SCALE = 10;

const FN = 'regressionCurves';

function resolveParams(options: RegressionCurveOptions): Required<PointwiseParams> {
  return {
    delta: checkPositive(options.delta ?? 1, FN, 'delta'),
    beta: checkPositive(options.beta ?? 1, FN, 'beta'),
    sigma: checkPositive(options.sigma ?? 1, FN, 'sigma'),
  };
}

/**
 * The three curves of d2l's loss figure (d2l-ai/berkeley-stat-157, slides/2_5/loss.ipynb), computed
 * with the library's pointwise losses (`pointwiseLosses[loss].value / .gradient`):
 * - loss l(y, y′) (blue) and gradient ∂l/∂y′ (orange) at every grid point y′;
 * - likelihood (green), scaled exactly as d2l scales it. d2l computes, on x = arange(−5, 5, 0.01),
 *   `p = exp(−l); p = 100 * p / p.sum(); plot(x, 10 * p)`, i.e. 1000 · exp(−l) / Σ exp(−l):
 *   10 × exp(−l) normalised to integrate to 1 over the plotted range by the Riemann sum with step
 *   0.01. We compute 10 · exp(−l_i) / (step · Σ_j exp(−l_j)) — the same numbers on d2l's grid, and
 *   the same meaning on any range or grid. Since the library's density is exp(−l)/Z with Z free of y′,
 *   this is also 10 × `density` renormalised over the range. The green peak is therefore a little
 *   above 10 × the density's peak when the range cuts off tails: L2 at y = 0 on [−5, 5) gives
 *   3.989 ≈ 10/√(2π), L1 gives 5.034 (not 5, because ∫₋₅⁵ ½e^{−|u|} du = 1 − e^{−5}) and Huber(δ=1)
 *   gives 3.446. exp(−l) is evaluated as exp(−(l − min l)) so no range underflows to 0/0.
 */
export function regressionCurves(options: RegressionCurveOptions): RegressionCurves {
  if (!(REGRESSION_LOSSES as readonly string[]).includes(options.loss)) {
    fail({ fn: FN, argument: 'loss', value: formatValue(options.loss), rule: `it must be one of ${REGRESSION_LOSSES.join(', ')}` });
  }
  const target = checkFinite(options.target ?? 0, FN, 'target');
  const from = options.from ?? target - 5;
  const to = options.to ?? target + 5;
  checkRange(from, to, FN);
  const points = checkPoints(options.points ?? 1000, FN);
  const params = resolveParams(options);
  const pointwise = pointwiseLosses[options.loss];

  const { xs, step } = arangeGrid(from, to, points);
  const losses = Array.from(xs, (x) => pointwise.value(target, x, params));
  const gradients = Array.from(xs, (x) => pointwise.gradient(target, x, params));
  let minLoss = Infinity;
  for (const l of losses) if (l < minLoss) minLoss = l;
  const weights = losses.map((l) => Math.exp(-(l - minLoss)));
  let total = 0;
  for (const w of weights) total += w;
  const scale = D2L_LIKELIHOOD_SCALE / (step * total);
  const rows = Array.from(xs, (prediction, i) => ({ prediction, loss: losses[i], likelihood: weights[i] * scale, gradient: gradients[i] }));
  return { loss: options.loss, target, from, to, step, params, rows };
}

/** Options of the figure: the curves' options plus the language and the size. */
export interface RegressionFigureOptions extends RegressionCurveOptions {
  readonly lang?: Lang;
  readonly width?: number;
  readonly height?: number;
}

/** The loss's display name with its parameters, e.g. "Huber loss (δ = 1)". */
export function regressionLossName(lang: Lang, loss: RegressionLossId, params: Required<PointwiseParams>): string {
  return t(lang, `loss.${loss}.name`, { delta: params.delta, beta: params.beta, sigma: params.sigma });
}

/**
 * d2l's loss figure as a Vega-Lite spec: x = the prediction y′ with the target fixed, y = the value
 * of each curve; loss blue, likelihood green, gradient orange; the formula in the title, a legend
 * naming the curves. The data (`prediction, loss, likelihood, gradient` per row) is inline, so the
 * CSV/JSON export holds exactly the plotted numbers.
 */
export function regressionFigure(options: RegressionFigureOptions): VegaLiteSpec {
  const fn = 'regressionFigure';
  const lang = checkLang(options.lang, fn);
  const width = checkSize(options.width ?? DEFAULT_WIDTH, fn, 'width');
  const height = checkSize(options.height ?? DEFAULT_HEIGHT, fn, 'height');
  const curves = regressionCurves(options);
  return curvesSpec({
    title: t(lang, 'figure.title.regression', { name: regressionLossName(lang, curves.loss, curves.params), formula: LOSS_FORMULAS[curves.loss].text }),
    subtitle: t(lang, 'figure.subtitle.regression'),
    width,
    height,
    rows: curves.rows.map((row) => ({ ...row })),
    x: { field: 'prediction', title: t(lang, 'figure.axis.prediction', { target: curves.target }), domain: [curves.from, curves.to] },
    yTitle: t(lang, 'figure.axis.value'),
    legendTitle: t(lang, 'figure.legend.curves'),
    curves: [
      { field: 'loss', label: t(lang, 'figure.curve.loss'), color: CURVE_COLORS.loss },
      { field: 'likelihood', label: t(lang, 'figure.curve.likelihood'), color: CURVE_COLORS.likelihood },
      { field: 'gradient', label: t(lang, 'figure.curve.gradient'), color: CURVE_COLORS.gradient },
    ],
  });
}
