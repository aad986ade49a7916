import { describe, expect, it } from 'vitest';
import { crossEntropyFigure, lossFigure, softmaxFigure, type VegaLiteSpec } from '../../src/figures/index.js';

const REGRESSION_LOSSES = ['l2', 'mse', 'l1', 'huber', 'smooth-l1', 'gaussian-nll'] as const;

/** Rounds numbers to 10 significant digits so a snapshot does not hinge on the last ulp. */
function round(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? Number(value.toPrecision(10)) : value;
  if (Array.isArray(value)) return value.map(round);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v)]));
  return value;
}

/**
 * The spec with its inline data summarised (row count, columns, first/middle/last rows): the
 * structure, labels, colours and encodings are snapshotted in full; the numbers are tested
 * against the golden data in the other files.
 */
function summarise(spec: VegaLiteSpec): unknown {
  const copy = JSON.parse(JSON.stringify(spec)) as { data?: { name?: string; values?: Record<string, unknown>[] } };
  const values = copy.data?.values;
  if (values && copy.data) {
    copy.data = {
      name: copy.data.name,
      values: [
        {
          rows: values.length,
          columns: Object.keys(values[0] ?? {}),
          first: values[0],
          middle: values[Math.floor(values.length / 2)],
          last: values[values.length - 1],
        },
      ],
    };
  }
  return round(copy);
}

describe('figure spec snapshots (these double as examples of each figure)', () => {
  for (const loss of REGRESSION_LOSSES) {
    it(`regression ${loss} (en)`, () => {
      expect(summarise(lossFigure({ loss }))).toMatchSnapshot();
    });
  }
  it('regression l2 (zh), target 1, range [−2, 4)', () => {
    expect(summarise(lossFigure({ loss: 'l2', lang: 'zh', target: 1, from: -2, to: 4 }))).toMatchSnapshot();
  });
  it('cross-entropy (en) and bce (zh)', () => {
    expect(summarise(crossEntropyFigure())).toMatchSnapshot();
    expect(summarise(lossFigure({ loss: 'bce', lang: 'zh' }))).toMatchSnapshot();
  });
  it('cross-entropy against the probability of the true class (zh)', () => {
    expect(summarise(crossEntropyFigure({ against: 'probability', lang: 'zh' }))).toMatchSnapshot();
  });
  it('softmax plain (en, T = 2) and naive (zh)', () => {
    expect(summarise(softmaxFigure({ temperature: 2 }))).toMatchSnapshot();
    expect(summarise(softmaxFigure({ naive: true, lang: 'zh' }))).toMatchSnapshot();
  });
  it('every spec is plain JSON (no NaN/Infinity numbers, which JSON would turn into null)', () => {
    const specs = [lossFigure({ loss: 'l2' }), softmaxFigure({ naive: true }), lossFigure({ loss: 'bce' })];
    for (const spec of specs) expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });
});
