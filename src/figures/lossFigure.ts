import { fail, formatValue } from '../errors.js';
import { checkLang, type Lang } from '../i18n/lang.js';
import { messageKey, t } from '../i18n/translate.js';
import { findPointwise, type PointwiseEntry, type PointwiseLossId, pointwiseIds } from '../functional/losses.js';
import { type PointwiseValues, resolvePointwiseValues } from '../functional/lossSpec.js';
import { curvesSpec } from './curvesSpec.js';
import { arangeGrid, checkPoints, checkRange, checkSize } from './options.js';
import type { VegaLiteSpec } from './spec.js';
import { CURVE_COLORS, DEFAULT_HEIGHT, DEFAULT_WIDTH } from './theme.js';

/** What to plot: the loss (either of its names), the fixed target y, the range of predictions and the loss's parameters. */
export interface LossCurveOptions {
  readonly loss: string;
  /** The target y (default: the loss's, 0 for a regression loss, 1 for a binary one). */
  readonly target?: number;
  /** The range of the prediction y′ (or logit z), `[from, to)` (default: the loss's; d2l's [y − 5, y + 5) for a regression loss). */
  readonly from?: number;
  readonly to?: number;
  /** Grid points (default 1000, d2l's `arange(-5, 5, 0.01)`). */
  readonly points?: number;
  /** The loss's parameters by name, e.g. `{ delta: 2 }` for huber; missing ones take their defaults. */
  readonly params?: PointwiseValues;
}

/** One grid point: the prediction y′ (or logit z) and the three curves' values there. */
export interface LossCurveRow {
  readonly x: number;
  readonly loss: number;
  /** `density` kind: d2l's scaled likelihood 10 × exp(−l) normalised over the range; `probability` kind: P(positive label | z). */
  readonly likelihood: number;
  readonly gradient: number;
}

export interface LossCurves {
  readonly loss: PointwiseLossId;
  readonly kind: 'density' | 'probability';
  readonly target: number;
  readonly from: number;
  readonly to: number;
  readonly step: number;
  readonly params: Readonly<Record<string, number | boolean>>;
  readonly rows: LossCurveRow[];
}

/** How d2l scales the likelihood curve: 10 × a density over the plotted range (see `lossCurves`). */
export const D2L_LIKELIHOOD_SCALE = 10;

/** The pointwise loss called `name`, or a `LosslabError` listing the names. */
export function pointwiseEntry(name: string, fn: string): PointwiseEntry {
  const entry = findPointwise(name);
  if (!entry) return fail({ fn, argument: 'loss', value: formatValue(name), rule: `it must be one of ${pointwiseIds().join(', ')}` });
  return entry;
}

/**
 * The three curves of d2l's loss figure (d2l-ai/berkeley-stat-157, slides/2_5/loss.ipynb), from
 * the loss's pointwise form in the registry (`value`, `gradient`, `density`):
 * - loss l(y, y′) (blue) and gradient ∂l/∂y′ (orange) at every grid point y′;
 * - for a `density` loss the likelihood (green), scaled exactly as d2l scales it. d2l computes, on
 *   x = arange(−5, 5, 0.01), `p = exp(−l); p = 100 * p / p.sum(); plot(x, 10 * p)`, i.e.
 *   1000 · exp(−l) / Σ exp(−l): 10 × exp(−l) normalised to integrate to 1 over the plotted range by
 *   the Riemann sum with step 0.01. We compute 10 · exp(−l_i) / (step · Σ_j exp(−l_j)) — the same
 *   numbers on d2l's grid, and the same meaning on any range or grid. The green peak is therefore a
 *   little above 10 × the density's peak when the range cuts off tails: L2 at y = 0 on [−5, 5)
 *   gives 3.989 ≈ 10/√(2π), L1 gives 5.034 (not 5, because ∫₋₅⁵ ½e^{−|u|} du = 1 − e^{−5}) and
 *   Huber(δ=1) gives 3.446. exp(−l) is evaluated as exp(−(l − min l)) so no range underflows to 0/0;
 * - for a `probability` loss (a binary label y and a logit z) the probability of the positive label.
 */
export function lossCurves(options: LossCurveOptions): LossCurves {
  const fn = 'lossCurves';
  const { id, pointwise } = pointwiseEntry(options.loss, fn);
  const params = resolvePointwiseValues(pointwise, options.params ?? {}, fn);
  const target = pointwise.target.check(options.target ?? pointwise.target.default, fn);
  const [defaultFrom, defaultTo] = pointwise.range(target, params);
  const from = options.from ?? defaultFrom;
  const to = options.to ?? defaultTo;
  checkRange(from, to, fn);
  const points = checkPoints(options.points ?? 1000, fn);
  const { xs, step } = arangeGrid(from, to, points);
  const losses = Array.from(xs, (x) => pointwise.value(target, x, params));
  const gradients = Array.from(xs, (x) => pointwise.gradient(target, x, params));
  let likelihoods: number[];
  if (pointwise.kind === 'probability') {
    const positive = pointwise.labels?.[1] ?? 1;
    likelihoods = Array.from(xs, (x) => pointwise.density(positive, x, params));
  } else {
    let minLoss = Infinity;
    for (const l of losses) if (l < minLoss) minLoss = l;
    const weights = losses.map((l) => Math.exp(-(l - minLoss)));
    let total = 0;
    for (const w of weights) total += w;
    const scale = D2L_LIKELIHOOD_SCALE / (step * total);
    likelihoods = weights.map((w) => w * scale);
  }
  const rows = Array.from(xs, (x, i) => ({ x, loss: losses[i], likelihood: likelihoods[i], gradient: gradients[i] }));
  return { loss: id, kind: pointwise.kind, target, from, to, step, params, rows };
}

/** The loss's display name with its parameters, e.g. "Huber loss (δ = 1)". */
export function lossName(lang: Lang, loss: PointwiseLossId, params: Readonly<Record<string, number | boolean>>): string {
  const values: Record<string, number | string> = {};
  for (const [name, value] of Object.entries(params)) values[name] = typeof value === 'boolean' ? String(value) : value;
  return t(lang, messageKey(`loss.${loss}.name`), values);
}

/** Options of the figure: the curves' options plus the language and the size. */
export interface LossFigureOptions extends LossCurveOptions {
  readonly lang?: Lang;
  readonly width?: number;
  readonly height?: number;
}

/**
 * d2l's loss figure as a Vega-Lite spec: x = the prediction y′ (the logit z for a binary loss) with
 * the target fixed, y = the value of each curve; loss blue, likelihood green, gradient orange; the
 * formula in the title, a legend naming the curves. The data is inline (`prediction, loss,
 * likelihood, gradient` per row; `logit, loss, probability, gradient` for a binary loss), so the
 * CSV/JSON export holds exactly the plotted numbers.
 */
export function lossFigure(options: LossFigureOptions): VegaLiteSpec {
  const fn = 'lossFigure';
  const lang = checkLang(options.lang, fn);
  const width = checkSize(options.width ?? DEFAULT_WIDTH, fn, 'width');
  const height = checkSize(options.height ?? DEFAULT_HEIGHT, fn, 'height');
  const curves = lossCurves(options);
  const { pointwise } = pointwiseEntry(curves.loss, fn);
  const common = { width, height, yTitle: t(lang, 'figure.axis.value'), legendTitle: t(lang, 'figure.legend.curves') };
  if (curves.kind === 'probability') {
    const id = curves.loss;
    return curvesSpec({
      ...common,
      title: t(lang, messageKey(`figure.title.${id}`)),
      rows: curves.rows.map((row) => ({ logit: row.x, loss: row.loss, probability: row.likelihood, gradient: row.gradient })),
      x: { field: 'logit', title: t(lang, messageKey(`figure.axis.${id}`), { target: curves.target }), domain: [curves.from, curves.to] },
      curves: [
        { field: 'loss', label: t(lang, messageKey(`figure.curve.${id}.loss`)), color: CURVE_COLORS.loss },
        { field: 'probability', label: t(lang, messageKey(`figure.curve.${id}.probability`)), color: CURVE_COLORS.likelihood },
        { field: 'gradient', label: t(lang, messageKey(`figure.curve.${id}.gradient`)), color: CURVE_COLORS.gradient },
      ],
    });
  }
  return curvesSpec({
    ...common,
    title: t(lang, 'figure.title.regression', { name: lossName(lang, curves.loss, curves.params), formula: pointwise.formulas(curves.params).loss.text }),
    subtitle: t(lang, 'figure.subtitle.regression'),
    rows: curves.rows.map((row) => ({ prediction: row.x, loss: row.loss, likelihood: row.likelihood, gradient: row.gradient })),
    x: { field: 'prediction', title: t(lang, 'figure.axis.prediction', { target: curves.target }), domain: [curves.from, curves.to] },
    curves: [
      { field: 'loss', label: t(lang, 'figure.curve.loss'), color: CURVE_COLORS.loss },
      { field: 'likelihood', label: t(lang, 'figure.curve.likelihood'), color: CURVE_COLORS.likelihood },
      { field: 'gradient', label: t(lang, 'figure.curve.gradient'), color: CURVE_COLORS.gradient },
    ],
  });
}
