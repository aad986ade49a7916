import { describe, expect, it } from 'vitest';
import { plottedData } from '../../src/figures/plotted.js';
import { Network } from '../../src/models/network.js';
import { confusionMatrixSpec, trainingCurveSpec } from '../../src/figures/trainingFigures.js';
import { confusionCsv, evaluateNetwork, formatEvaluation, mostConfidentlyWrong, weightTemplateRgb } from '../../src/reports/trainingReport.js';
import { createDataset } from '../../src/data/dataset.js';

const history = [
  { epoch: 1, trainLoss: 0.8, trainAccuracy: 0.7, testAccuracy: 0.75, seconds: 0.2 },
  { epoch: 2, trainLoss: 0.6, trainAccuracy: 0.8, testAccuracy: 0.78, seconds: 0.2 },
];

describe('training figures and report', () => {
  it('the training-curve spec plots exactly the history (3 series), in English or Chinese', () => {
    const rows = plottedData(trainingCurveSpec(history))[0].rows;
    expect(rows).toHaveLength(6);
    expect(rows).toContainEqual({ epoch: 2, series: 'test acc', value: 0.78 });
    const zh = JSON.stringify(trainingCurveSpec(history, 'zh'));
    expect(zh).toContain('训练损失');
    expect(zh).toContain('测试准确率');
  });

  it('the confusion-matrix spec holds every cell with its row fraction', () => {
    const cm = [
      [3, 1],
      [0, 0],
    ];
    const rows = plottedData(confusionMatrixSpec(cm, ['a', 'b']))[0].rows;
    expect(rows).toEqual([
      { trueClass: 'a', predicted: 'a', count: 3, fraction: 0.75 },
      { trueClass: 'a', predicted: 'b', count: 1, fraction: 0.25 },
      { trueClass: 'b', predicted: 'a', count: 0, fraction: 0 },
      { trueClass: 'b', predicted: 'b', count: 0, fraction: 0 },
    ]);
  });

  it('evaluation: confusion CSV, text report and the most confidently wrong rows', () => {
    const net = new Network([2, 2]);
    net.weight(0).data.set([1, 0, 0, 1]); // class = larger feature
    const data = createDataset(Float32Array.of(5, 0, 0, 1, 3, 0, 0, 4), Int32Array.of(0, 0, 1, 1), { features: 2, classNames: ['left', 'right'] });
    const e = evaluateNetwork(net, data);
    expect(e.accuracy).toBe(0.5);
    expect(confusionCsv(e)).toBe('true\\predicted,left,right\nleft,1,1\nright,1,1\n');
    expect(formatEvaluation(e)).toMatch(/accuracy 50\.00% on 4 rows/);
    const wrong = mostConfidentlyWrong(e, data.y, 5);
    expect(wrong.map((w) => w.index)).toEqual([2, 1]); // p(left | 3,0) > p(right | 0,1)
    expect(wrong[0].probability).toBeCloseTo(1 / (1 + Math.exp(-3)), 6);
  });

  it('weight templates: red for positive, blue for negative, white at zero', () => {
    const W = Float32Array.of(2, 0, -1, 0, 0, 0); // 3 pixels × 2 classes, class 0 column = [2, -1, 0]
    const rgb = Array.from(weightTemplateRgb(W, 0, 3, 2));
    expect(rgb).toEqual([255, 0, 0, 128, 128, 255, 255, 255, 255]);
  });
});
