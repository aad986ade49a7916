import { fail, formatValue } from '../errors.js';
import { checkLang, type Lang } from '../i18n/lang.js';
import { isMessageKey, messageKey, t } from '../i18n/translate.js';
import type { PointwiseLossId } from '../functional/losses.js';
import { type PointwiseValues, resolvePointwiseValues } from '../functional/lossSpec.js';
import { lossCurves, lossName, pointwiseEntry } from '../figures/lossFigure.js';
import { checkFinite } from '../figures/options.js';
import { crossEntropyPoint } from '../figures/classification.js';
import { formula, paragraph, type ExplainSection, type Explanation } from './types.js';
import { type DataBatch, dataNumbers, defaultBatch, halfNumbers } from './regressionQuestions.js';
import { crossEntropyFigureCall, type CrossEntropyFigureCommand, dataSection, halfSection, whichLossSection } from './questionSections.js';

/** The figure an explanation describes: what `lossFigure` (or `losslab plot`) draws with these values. */
export interface FigureRequest {
  readonly loss: PointwiseLossId;
  readonly target: number;
  readonly lang: Lang;
  /** The parameters that differ from their defaults, in the loss's order. */
  readonly params: Readonly<Record<string, number | boolean>>;
  /** Whether `target` is the loss's default target. */
  readonly defaultTarget: boolean;
}

export interface LossExplanationOptions {
  /** Which loss, by either of its names (default 'l2'); see `POINTWISE_LOSSES`. */
  readonly loss?: string;
  readonly lang?: Lang;
  /** The worked example: target y (the loss's default: 0, or 1 for a binary loss) and prediction y′ (or logit z). */
  readonly target?: number;
  readonly prediction?: number;
  /** The loss's parameters by name, e.g. `{ delta: 2 }`. */
  readonly params?: PointwiseValues;
  /**
   * How to name the figure the text describes (the command line passes its `losslab plot …`);
   * by default the library call that draws it.
   */
  readonly figureCommand?: (figure: FigureRequest) => string;
  /** How to name cross-entropy's figures (the command line passes its `losslab plot cross-entropy …`); by default the library call. */
  readonly crossEntropyFigureCommand?: CrossEntropyFigureCommand;
  /** The small batch of the "what is the data" answer (default targets [1, −0.5, 2], predictions [1.5, 0, 1], or `defaultBatch` for a loss that refuses them). */
  readonly batch?: DataBatch;
}

/** The library call that draws a figure, e.g. `lossFigure({ loss: 'huber', params: { delta: 2 } })`. */
export function figureCall(figure: FigureRequest): string {
  const parts = [`loss: '${figure.loss}'`];
  if (!figure.defaultTarget) parts.push(`target: ${figure.target}`);
  const params = Object.entries(figure.params).map(([name, value]) => `${name}: ${String(value)}`);
  if (params.length > 0) parts.push(`params: { ${params.join(', ')} }`);
  if (figure.lang !== 'en') parts.push(`lang: '${figure.lang}'`);
  return `lossFigure({ ${parts.join(', ')} })`;
}

/**
 * Where a loss comes from, for `losslab explain <loss>` and the web lab's loss explorer: the loss,
 * the likelihood it is the negative log of, why minimising the negative log-likelihood is
 * minimising the loss (the dropped constant), the gradient by the chain rule, and how to read the
 * figure. A regression loss also answers the learner questions its figure raises (questions.ts): it
 * is not softmax regression's loss (cross-entropy's curves, at y′ as the true-class logit), what the
 * "data" of the likelihood is (a small batch), and for L2 why the ½. Every quoted number is computed
 * here with the loss's pointwise form from the registry (value, gradient, density), the figure's own
 * curves and the cross-entropy figure's. The texts are the catalogue's `explain.loss.<id>.*` and
 * `explain.question.*`.
 */
export function explainLoss(options: LossExplanationOptions = {}): Explanation {
  const fn = 'explainLoss';
  const { id, pointwise } = pointwiseEntry(options.loss ?? 'l2', fn);
  const lang = checkLang(options.lang, fn);
  const params = resolvePointwiseValues(pointwise, options.params ?? {}, fn);
  const target = pointwise.target.check(checkFinite(options.target ?? pointwise.target.default, fn, 'target'), fn);
  const prediction = checkFinite(options.prediction ?? pointwise.example, fn, pointwise.kind === 'probability' ? 'logit' : 'prediction');
  const defaults = resolvePointwiseValues(pointwise, {}, fn);
  const changed = Object.fromEntries(Object.entries(params).filter(([name, value]) => value !== defaults[name]));
  const figure: FigureRequest = { loss: id, target, lang, params: changed, defaultTarget: target === pointwise.target.default };
  const command = (options.figureCommand ?? figureCall)(figure);
  const formulas = pointwise.formulas(params);
  const numeric = Object.fromEntries(Object.entries(params).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
  const words = pointwise.describe?.(params) ?? {};
  const key = (part: string) => messageKey(`explain.loss.${id}.${part}`);
  const section = (sectionId: string, text: string, f: { text: string; tex: string }) => ({
    id: sectionId,
    heading: t(lang, messageKey(`explain.loss.heading.${sectionId}`)),
    blocks: [paragraph(text), formula(f)],
  });

  if (pointwise.kind === 'probability') {
    const labels = pointwise.labels ?? [0, 1];
    if (!labels.includes(target)) {
      fail({ fn, argument: 'target', value: formatValue(target), rule: `the worked example needs a binary label, ${labels[0]} or ${labels[1]}` });
    }
    const likelihood = pointwise.density(target, prediction, params);
    const numbers = {
      ...numeric,
      target,
      logit: prediction,
      probability: pointwise.density(labels[1], prediction, params),
      value: pointwise.value(target, prediction, params),
      likelihood,
      nll: -Math.log(likelihood),
      gradient: pointwise.gradient(target, prediction, params),
    };
    const values = { ...words, ...numbers };
    return {
      topic: 'loss',
      lang,
      title: t(lang, messageKey(`explain.title.${id}`)),
      numbers,
      sections: [
        section('loss', t(lang, key('intro'), values), formulas.loss),
        section('likelihood', t(lang, key('likelihood'), values), formulas.likelihood),
        section('nll', t(lang, key('nll'), values), formulas.nll),
        section('gradient', t(lang, key('gradient'), values), formulas.gradient),
        { id: 'figure', heading: t(lang, 'explain.loss.heading.figure'), blocks: [paragraph(t(lang, key('figure'), { ...values, command }))] },
      ],
    };
  }

  // The learner questions a regression-loss figure raises (src/explain/questions.ts).
  const name = lossName(lang, id, params);
  const point = crossEntropyPoint(prediction);
  const data = dataNumbers(pointwise, params, options.batch ?? defaultBatch(pointwise, fn), fn);
  const half = id === 'l2' ? halfNumbers(target, prediction) : undefined;
  const whichLoss = whichLossSection(lang, { name, prediction, point, command: options.crossEntropyFigureCommand ?? crossEntropyFigureCall });
  const halfAnswer: ExplainSection[] = half ? [halfSection(lang, { ...half, target, prediction })] : [];

  // The same range and grid as the figure, so the text describes the figure one gets.
  const curves = lossCurves({ loss: id, target, params });
  const value = pointwise.value(target, prediction, params);
  const density = pointwise.density(target, prediction, params);
  const nll = -Math.log(density);
  const constant = nll - value;
  let peak = 0;
  for (const row of curves.rows) peak = Math.max(peak, row.likelihood);
  const numbers = {
    ...numeric,
    target,
    prediction,
    value,
    gradient: pointwise.gradient(target, prediction, params),
    density,
    nll,
    constant,
    peak,
    points: curves.rows.length,
    multiplier: 10 / curves.step,
    from: curves.from,
    to: curves.to,
  };
  const questionNumbers = {
    ceProbability: point.probability,
    ceLoss: point.loss,
    ceGradLogit: point.gradientLogit,
    ceGradProbability: point.gradientProbability,
    batchDensities: data.densities,
    batchProduct: data.product,
    batchLogProduct: data.logProduct,
    batchSumLogs: data.sumLogs,
    batchLosses: data.losses,
    batchMeanLoss: data.meanLoss,
    batchMeanNll: data.meanNll,
    batchConstant: data.constant,
    ...(half ? { valueNoHalf: half.valueNoHalf, gradientNoHalf: half.gradientNoHalf } : {}),
  };
  const values = { ...words, ...numbers };
  const figureKey = `explain.loss.${id}.figure`;
  return {
    topic: 'loss',
    lang,
    title: t(lang, 'explain.title.loss', { name }),
    numbers: { ...numbers, ...questionNumbers },
    sections: [
      section('loss', t(lang, key('intro'), values), formulas.loss),
      whichLoss,
      section('likelihood', t(lang, key('likelihood'), values), formulas.likelihood),
      dataSection(lang, data),
      section('nll', t(lang, 'explain.loss.nll', { ...values, minimiser: t(lang, key('minimiser'), values) }), formulas.nll),
      section('gradient', t(lang, key('gradient'), values), formulas.gradient),
      ...halfAnswer,
      {
        id: 'figure',
        heading: t(lang, 'explain.loss.heading.figure'),
        blocks: [paragraph(t(lang, isMessageKey(figureKey) ? figureKey : 'explain.loss.figure', { ...values, command }))],
      },
    ],
  };
}
