import type { PlottedRow, VegaLiteSpec } from '../figures/spec.js';
import { CURVE_COLORS, figureConfig } from '../figures/theme.js';
import { checkLang, type Lang } from '../i18n/lang.js';
import { t } from '../i18n/translate.js';
import type { EpochResult } from '../models/trainer.js';

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
          range: [CURVE_COLORS.loss, CURVE_COLORS.gradient, CURVE_COLORS.likelihood],
        },
      },
    },
    config: figureConfig(),
  } as VegaLiteSpec;
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
