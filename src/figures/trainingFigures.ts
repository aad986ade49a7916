import type { PlottedRow, VegaLiteSpec } from './spec.js';
import { CURVE_COLORS, figureConfig } from './theme.js';
import { checkLang, type Lang } from '../i18n/lang.js';
import { t } from '../i18n/translate.js';
import type { EpochResult } from '../models/trainer.js';

/** The colours of the training curves: train loss blue, train accuracy orange, test accuracy green (d2l's). */
const SERIES_COLORS = [CURVE_COLORS.loss, CURVE_COLORS.gradient, CURVE_COLORS.likelihood];

/**
 * The training-curve figure as a Vega-Lite spec: one line per series (train loss, train accuracy,
 * test accuracy) over the epochs, like d2l's `Animator` in `train_ch3`. A pure function of the
 * history; the CLI renders it to SVG/PNG, the web lab redraws it after each epoch.
 */
export function trainingCurveSpec(history: readonly EpochResult[], language: Lang = 'en'): VegaLiteSpec {
  const lang = checkLang(language, 'trainingCurveSpec', 'language');
  const series = {
    trainLoss: t(lang, 'report.curve.trainLoss'),
    trainAccuracy: t(lang, 'report.curve.trainAccuracy'),
    testAccuracy: t(lang, 'report.curve.testAccuracy'),
  };
  const rows: PlottedRow[] = [];
  for (const r of history) {
    rows.push({ epoch: r.epoch, series: series.trainLoss, value: r.trainLoss });
    rows.push({ epoch: r.epoch, series: series.trainAccuracy, value: r.trainAccuracy });
    if (r.testAccuracy !== null) rows.push({ epoch: r.epoch, series: series.testAccuracy, value: r.testAccuracy });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: t(lang, 'report.curve.title'), subtitle: t(lang, 'report.curve.subtitle') },
    width: 480,
    height: 300,
    data: { name: 'curves', values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: t(lang, 'report.curve.epoch'), axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: t(lang, 'report.curve.value') },
      color: {
        field: 'series',
        type: 'nominal',
        title: t(lang, 'report.curve.series'),
        scale: {
          domain: [series.trainLoss, series.trainAccuracy, series.testAccuracy],
          range: SERIES_COLORS,
        },
      },
    },
    config: figureConfig(),
  } as VegaLiteSpec;
}

/** What the live training curve shows while a run goes on. */
export interface LiveTrainingCurve {
  /** The running (epoch-so-far) train loss and accuracy at fractional epochs (epoch − 1 + batch / batches). */
  readonly trace: readonly { readonly epoch: number; readonly loss: number; readonly accuracy: number }[];
  /** The test accuracy after each epoch so far. */
  readonly tests: readonly { readonly epoch: number; readonly testAccuracy: number }[];
  /** The untrained model's test accuracy, drawn at epoch 0; null before it is known. */
  readonly initialTestAccuracy: number | null;
  /** The epochs of the run (the x axis runs from 0 to here from the start). */
  readonly epochs: number;
}

/**
 * The training curves while a run goes on, as d2l's `Animator` draws them: the running train loss
 * and accuracy of the current epoch at fractional epochs (a line updated every few minibatches)
 * and the test accuracy after each epoch (points), in the colours of `trainingCurveSpec`. The web
 * lab's Train page redraws it after each update, sized to its container.
 */
export function liveTrainingCurveSpec(curve: LiveTrainingCurve, language: Lang = 'en'): VegaLiteSpec {
  const lang = checkLang(language, 'liveTrainingCurveSpec', 'language');
  const series = [t(lang, 'train.series.trainLoss'), t(lang, 'train.series.trainAccuracy'), t(lang, 'train.series.testAccuracy')];
  const running = curve.trace.flatMap((p) => [
    { epoch: p.epoch, value: p.loss, series: series[0] },
    { epoch: p.epoch, value: p.accuracy, series: series[1] },
  ]);
  const tests = curve.tests.map((r) => ({ epoch: r.epoch, value: r.testAccuracy, series: series[2] }));
  if (curve.initialTestAccuracy !== null) tests.unshift({ epoch: 0, value: curve.initialTestAccuracy, series: series[2] });
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    legend: { orient: 'bottom' as const },
    scale: { domain: series, range: SERIES_COLORS },
  };
  const x = {
    field: 'epoch',
    type: 'quantitative' as const,
    title: t(lang, 'train.axis.epoch'),
    axis: { tickMinStep: 1, format: 'd' },
    scale: { domain: [0, curve.epochs] },
  };
  const y = { field: 'value', type: 'quantitative' as const, title: t(lang, 'train.axis.value') };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: 220,
    autosize: { type: 'fit-x', contains: 'padding' },
    title: t(lang, 'train.curvesTitle'),
    layer: [
      { data: { values: running }, mark: { type: 'line' }, encoding: { x, y, color } },
      { data: { values: tests }, mark: { type: 'line', point: true }, encoding: { x, y, color } },
    ],
  };
}

/**
 * The confusion matrix as a Vega-Lite heat map with the counts written in the cells (as
 * scikit-learn's `ConfusionMatrixDisplay`): rows are true classes, columns predicted classes, the
 * colour is the count divided by its row total (the recall on the diagonal).
 */
export function confusionMatrixSpec(cm: readonly (readonly number[])[], classNames: readonly string[], language: Lang = 'en'): VegaLiteSpec {
  const lang = checkLang(language, 'confusionMatrixSpec', 'language');
  const rows: PlottedRow[] = [];
  cm.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    for (const [j, count] of row.entries()) rows.push({ trueClass: classNames[i], predicted: classNames[j], count, fraction: total === 0 ? 0 : count / total });
  });
  const order = [...classNames];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: t(lang, 'report.confusion.title'), subtitle: t(lang, 'report.confusion.subtitle') },
    data: { name: 'confusion', values: rows },
    width: 40 * classNames.length,
    height: 40 * classNames.length,
    encoding: {
      y: { field: 'trueClass', type: 'ordinal', sort: order, title: t(lang, 'report.confusion.trueClass') },
      x: { field: 'predicted', type: 'ordinal', sort: order, title: t(lang, 'report.confusion.predicted'), axis: { labelAngle: -40 } },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: { field: 'fraction', type: 'quantitative', title: t(lang, 'report.confusion.fraction'), scale: { scheme: 'blues', domain: [0, 1] } },
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: 'datum.fraction > 0.5', value: 'white' }, value: 'black' },
        },
      },
    ],
    config: figureConfig(),
  } as VegaLiteSpec;
}
