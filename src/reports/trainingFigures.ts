import type { PlottedRow, VegaLiteSpec } from '../figures/spec.js';
import { CURVE_COLORS, figureConfig } from '../figures/theme.js';
import type { EpochResult } from '../models/trainer.js';

/** Figure text in the two languages of losslab. */
const TEXT = {
  en: {
    curveTitle: 'Training curves',
    curveSubtitle: 'train loss, train accuracy and test accuracy per epoch (d2l animator)',
    epoch: 'epoch',
    value: 'value',
    series: 'series',
    trainLoss: 'train loss',
    trainAccuracy: 'train acc',
    testAccuracy: 'test acc',
    cmTitle: 'Confusion matrix (test set)',
    cmSubtitle: 'rows: true class, columns: predicted class; colour: fraction of the true class',
    trueClass: 'true class',
    predicted: 'predicted class',
    count: 'count',
    fraction: 'fraction of row',
  },
  zh: {
    curveTitle: '训练曲线',
    curveSubtitle: '每轮的训练损失、训练准确率与测试准确率（d2l 动画器）',
    epoch: '轮次',
    value: '数值',
    series: '曲线',
    trainLoss: '训练损失',
    trainAccuracy: '训练准确率',
    testAccuracy: '测试准确率',
    cmTitle: '混淆矩阵（测试集）',
    cmSubtitle: '行：真实类别，列：预测类别；颜色：占该真实类别的比例',
    trueClass: '真实类别',
    predicted: '预测类别',
    count: '数量',
    fraction: '行内比例',
  },
} as const;

export type ReportLanguage = keyof typeof TEXT;

/**
 * The training-curve figure as a Vega-Lite spec: one line per series (train loss, train accuracy,
 * test accuracy) over the epochs, like d2l's `Animator` in `train_ch3`. A pure function of the
 * history; the CLI renders it to SVG/PNG, the web lab redraws it after each epoch.
 */
export function trainingCurveSpec(history: readonly EpochResult[], language: ReportLanguage = 'en'): VegaLiteSpec {
  const t = TEXT[language];
  const rows: PlottedRow[] = [];
  for (const r of history) {
    rows.push({ epoch: r.epoch, series: t.trainLoss, value: r.trainLoss });
    rows.push({ epoch: r.epoch, series: t.trainAccuracy, value: r.trainAccuracy });
    if (r.testAccuracy !== null) rows.push({ epoch: r.epoch, series: t.testAccuracy, value: r.testAccuracy });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: t.curveTitle, subtitle: t.curveSubtitle },
    width: 480,
    height: 300,
    data: { name: 'curves', values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: t.epoch, axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: t.value },
      color: {
        field: 'series',
        type: 'nominal',
        title: t.series,
        scale: { domain: [t.trainLoss, t.trainAccuracy, t.testAccuracy], range: [CURVE_COLORS.loss, CURVE_COLORS.gradient, CURVE_COLORS.likelihood] },
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
export function confusionMatrixSpec(cm: readonly (readonly number[])[], classNames: readonly string[], language: ReportLanguage = 'en'): VegaLiteSpec {
  const t = TEXT[language];
  const rows: PlottedRow[] = [];
  cm.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    for (const [j, count] of row.entries()) rows.push({ trueClass: classNames[i], predicted: classNames[j], count, fraction: total === 0 ? 0 : count / total });
  });
  const order = [...classNames];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: t.cmTitle, subtitle: t.cmSubtitle },
    data: { name: 'confusion', values: rows },
    width: 40 * classNames.length,
    height: 40 * classNames.length,
    encoding: {
      y: { field: 'trueClass', type: 'ordinal', sort: order, title: t.trueClass },
      x: { field: 'predicted', type: 'ordinal', sort: order, title: t.predicted, axis: { labelAngle: -40 } },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'fraction', type: 'quantitative', title: t.fraction, scale: { scheme: 'blues', domain: [0, 1] } } } },
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
