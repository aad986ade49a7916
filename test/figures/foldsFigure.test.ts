import { describe, expect, it } from 'vitest';
import { foldsFigure } from '../../src/figures/foldsFigure.js';
import { KFold, TimeSeriesSplit } from '../../src/validation/index.js';

interface Layer {
  data: { values: { row: string; start: number; end: number; value: string }[] };
}

function layers(spec: unknown): Layer[] {
  return (spec as { layer: Layer[] }).layer;
}

describe('foldsFigure (scikit-learn plot_cv_indices)', () => {
  it('draws each split as runs of train/test cells covering every sample', () => {
    const splits = [...new KFold({ nSplits: 3 }).split({ n: 10 })];
    const spec = foldsFigure({ n: 10, splits, classes: [0, 0, 0, 1, 1, 1, 1, 2, 2, 2] });
    const [folds, extras] = layers(spec);
    expect(folds.data.values.filter((s) => s.row === 'split 1')).toEqual([
      { row: 'split 1', start: 0, end: 4, value: 'train' },
      { row: 'split 1', start: 4, end: 7, value: 'test' },
      { row: 'split 1', start: 7, end: 10, value: 'train' },
    ]);
    expect(extras.data.values.map((s) => [s.start, s.end, s.value])).toEqual([
      [0, 3, '0'],
      [3, 7, '1'],
      [7, 10, '2'],
    ]);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec); // plain JSON: a value, renders anywhere
  });

  it('marks samples in neither set as unused (TimeSeriesSplit gap) and bins large inputs', () => {
    const splits = [...new TimeSeriesSplit({ nSplits: 2, gap: 1 }).split({ n: 9 })];
    const rows = layers(foldsFigure({ n: 9, splits }))[0].data.values.filter((s) => s.row === 'split 1');
    expect(rows.map((s) => [s.start, s.end, s.value])).toEqual([
      [0, 5, 'train'],
      [5, 6, 'unused'],
      [6, 9, 'test'],
    ]);
    const big = [...new KFold({ nSplits: 4 }).split({ n: 100_000 })];
    const drawn = layers(foldsFigure({ n: 100_000, splits: big, maxColumns: 500 }))[0].data.values;
    expect(drawn.length).toBeLessThanOrEqual(4 * 3);
    expect(drawn[drawn.length - 1].end).toBe(100_000);
  });

  it('rejects labels of the wrong length', () => {
    expect(() => foldsFigure({ n: 3, splits: [], groups: [1, 2] })).toThrow(/groups.*one entry per sample \(3\)/s);
  });
});
