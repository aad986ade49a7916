import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { accuracy, classScores, confusionMatrix } from '../../src/models/metrics.js';
import { expectClose, golden } from './golden.js';

describe('metrics match scikit-learn', () => {
  for (const c of golden.metrics) {
    it(`accuracy_score, confusion_matrix, precision_recall_fscore_support (k = ${c.numClasses}, n = ${c.yTrue.length})`, () => {
      expect(accuracy(c.yTrue, c.yPred)).toBe(c.accuracy);
      const cm = confusionMatrix(c.yTrue, c.yPred, c.numClasses);
      expect(cm).toEqual(c.confusion);
      const s = classScores(cm);
      expect(expectClose(s.precision, c.precision, 1e-12, 0)).toBeLessThanOrEqual(1);
      expect(expectClose(s.recall, c.recall, 1e-12, 0)).toBeLessThanOrEqual(1);
      expect(expectClose(s.f1, c.f1, 1e-12, 1e-15)).toBeLessThanOrEqual(1);
      expect(s.support).toEqual(c.support);
    });
  }

  it('confusion matrix: rows sum to the class counts, the trace counts the hits (property)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 6 })
          .chain((k) => fc.tuple(fc.constant(k), fc.array(fc.tuple(fc.nat(k - 1), fc.nat(k - 1)), { minLength: 1, maxLength: 40 }))),
        ([k, pairs]) => {
          const yTrue = pairs.map((p) => p[0]);
          const yPred = pairs.map((p) => p[1]);
          const cm = confusionMatrix(yTrue, yPred, k);
          for (let c = 0; c < k; c++) expect(cm[c].reduce((a, b) => a + b, 0)).toBe(yTrue.filter((v) => v === c).length);
          const trace = cm.reduce((s, row, i) => s + row[i], 0);
          expect(trace / yTrue.length).toBe(accuracy(yTrue, yPred));
          for (const v of [...classScores(cm).precision, ...classScores(cm).recall]) expect(v >= 0 && v <= 1).toBe(true);
        },
      ),
    );
  });

  it('rejects labels out of range and length mismatches, naming the argument', () => {
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/confusionMatrix: argument 'yTrue' is 3 at \[1\], but class indices must lie in \[0, 2\]/);
    expect(() => confusionMatrix([0, 1], [0], 3)).toThrow(/argument 'yPred' is 1 labels, but it must have as many labels as yTrue \(2\)/);
    expect(() => accuracy([], [])).toThrow(/at least one/);
  });
});
