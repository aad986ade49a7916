import { pointwiseLosses } from '../functional/pointwise.js';
import { fail, formatValue } from '../errors.js';
import { t } from '../i18n/translate.js';
import { checkLang, type Lang } from '../i18n/lang.js';
import { LOSS_FORMULAS } from '../figures/formulas.js';
import { REGRESSION_LOSSES, regressionCurves, regressionLossName, type RegressionLossId } from '../figures/regression.js';
import { checkFinite } from '../figures/options.js';
import { LIKELIHOOD_FORMULAS } from './formulas.js';
import { formula, paragraph, type Explanation } from './types.js';

/** The `losslab plot` command that draws the figure this text describes. */
function plotCommand(loss: RegressionLossId, target: number, params: { delta: number; beta: number; sigma: number }, lang: Lang): string {
  const parts = ['losslab plot', loss];
  if (loss === 'huber' && params.delta !== 1) parts.push(`--delta ${params.delta}`);
  if (loss === 'smooth-l1' && params.beta !== 1) parts.push(`--beta ${params.beta}`);
  if (loss === 'gaussian-nll' && params.sigma !== 1) parts.push(`--sigma ${params.sigma}`);
  if (target !== 0) parts.push(`--target ${target}`);
  if (lang !== 'en') parts.push(`--lang ${lang}`);
  parts.push(`--out ${loss}.svg`);
  return parts.join(' ');
}

export interface LossExplanationOptions {
  /** Which regression loss (default 'l2'). */
  readonly loss?: RegressionLossId;
  readonly lang?: Lang;
  /** The worked example: target y (default 0) and prediction y′ (default 2). */
  readonly target?: number;
  readonly prediction?: number;
  readonly delta?: number;
  readonly beta?: number;
  readonly sigma?: number;
}

/**
 * Where a regression loss comes from, for `losslab explain loss --loss <id>` and the web lab's loss
 * explorer: the loss, the likelihood it is the negative log of, why minimising the negative
 * log-likelihood is minimising the loss (the dropped constant and σ), the gradient by the chain rule,
 * and how to read the figure. Every quoted number is computed here with the library's pointwise
 * loss (value, gradient, density) and the figure's own curves.
 */
export function explainLoss(options: LossExplanationOptions = {}): Explanation {
  const fn = 'explainLoss';
  const loss = options.loss ?? 'l2';
  if (!(REGRESSION_LOSSES as readonly string[]).includes(loss)) {
    fail({ fn, argument: 'loss', value: formatValue(loss), rule: `it must be one of ${REGRESSION_LOSSES.join(', ')}` });
  }
  const lang = checkLang(options.lang, fn);
  const target = checkFinite(options.target ?? 0, fn, 'target');
  const prediction = checkFinite(options.prediction ?? 2, fn, 'prediction');
  // The same defaults and checks as the figure, so the text describes the figure one gets.
  const curves = regressionCurves({ loss, target, from: target - 5, to: target + 5, delta: options.delta, beta: options.beta, sigma: options.sigma });
  const params = curves.params;
  const pointwise = pointwiseLosses[loss];

  const value = pointwise.value(target, prediction, params);
  const gradient = pointwise.gradient(target, prediction, params);
  const density = pointwise.density(target, prediction, params);
  const nll = -Math.log(density);
  const constant = nll - value;
  let peak = 0;
  for (const row of curves.rows) peak = Math.max(peak, row.likelihood);

  const numbers = {
    target,
    prediction,
    value,
    gradient,
    density,
    nll,
    constant,
    peak,
    points: curves.rows.length,
    multiplier: 10 / curves.step,
    from: curves.from,
    to: curves.to,
    delta: params.delta,
    beta: params.beta,
    sigma: params.sigma,
  };
  const name = regressionLossName(lang, loss, params);
  const formulas = LIKELIHOOD_FORMULAS[loss];
  return {
    topic: 'loss',
    lang,
    title: t(lang, 'explain.title.loss', { name }),
    numbers,
    sections: [
      {
        id: 'loss',
        heading: t(lang, 'explain.loss.heading.loss'),
        blocks: [paragraph(t(lang, `explain.loss.${loss}.intro`, numbers)), formula(LOSS_FORMULAS[loss])],
      },
      {
        id: 'likelihood',
        heading: t(lang, 'explain.loss.heading.likelihood'),
        blocks: [paragraph(t(lang, `explain.loss.${loss}.likelihood`, numbers)), formula(formulas.likelihood)],
      },
      {
        id: 'nll',
        heading: t(lang, 'explain.loss.heading.nll'),
        blocks: [paragraph(t(lang, 'explain.loss.nll', { ...numbers, minimiser: t(lang, `explain.loss.${loss}.minimiser`, numbers) })), formula(formulas.nll)],
      },
      {
        id: 'gradient',
        heading: t(lang, 'explain.loss.heading.gradient'),
        blocks: [paragraph(t(lang, `explain.loss.${loss}.gradient`, numbers)), formula(formulas.gradient)],
      },
      {
        id: 'figure',
        heading: t(lang, 'explain.loss.heading.figure'),
        blocks: [paragraph(t(lang, 'explain.loss.figure', { ...numbers, command: plotCommand(loss, target, params, lang) }))],
      },
    ],
  };
}
