import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binOf, countBinsSorted, countBinsValues, HISTOGRAM_BINS, histogramEdges, histogramSorted } from '../../src/shift/histogram.js';
import { readGolden, replaySample, type SampleRecipe } from './goldenHelpers.js';

interface HistogramCase {
  x: SampleRecipe;
  y: SampleRecipe;
  edges: number[];
  train: number[];
  valid: number[];
}

describe('histogramSorted is numpy.histogram(x, bins=20, range=(lo, hi)) over both sets', () => {
  it('the NumPy golden cases: edges and counts exactly (values on edges included)', () => {
    const cases = readGolden<{ histogram: HistogramCase[] }>('histogram.json').histogram;
    expect(cases.length).toBe(6);
    for (const c of cases) {
      const h = histogramSorted(replaySample(c.x).sort(), replaySample(c.y).sort());
      expect(h.edges).toEqual(c.edges);
      expect(h.train).toEqual(c.train);
      expect(h.valid).toEqual(c.valid);
    }
  });

  it('sorted counts equal value-by-value counts; totals are n; infinities fall in the end bins (property)', () => {
    const value = fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constantFrom(0, -0, 1, 2.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), fc.array(value, { minLength: 1, maxLength: 300 }), (xs, ys) => {
        const a = Float64Array.from(xs).sort();
        const b = Float64Array.from(ys).sort();
        const h = histogramSorted(a, b);
        const byValue = (v: Float64Array) =>
          countBinsValues(
            Array.from(v),
            Array.from(v, () => 1),
            h.edges,
          );
        expect(h.train).toEqual(byValue(a));
        expect(h.valid).toEqual(byValue(b));
        expect(h.train.reduce((s, n) => s + n, 0)).toBe(a.length);
        expect(h.edges.length === HISTOGRAM_BINS + 1 || h.edges.length === 2).toBe(true);
        if (a[0] === Number.NEGATIVE_INFINITY) expect(h.train[0]).toBeGreaterThan(0);
        if (b[b.length - 1] === Number.POSITIVE_INFINITY) expect(h.valid[h.valid.length - 1]).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });

  it('edge cases by name: one value, no finite value, a range wider than the largest double', () => {
    expect(histogramSorted(Float64Array.of(3, 3), Float64Array.of(3))).toEqual({ edges: [3, 3], train: [2], valid: [1] });
    expect(histogramSorted(Float64Array.of(Number.NEGATIVE_INFINITY), Float64Array.of(Number.POSITIVE_INFINITY))).toEqual({
      edges: [0, 0],
      train: [1],
      valid: [1],
    });
    const wide = histogramEdges([-1.5e308, 1.5e308]);
    expect(wide.every(Number.isFinite)).toBe(true);
    expect(wide[0]).toBe(-1.5e308);
    expect(wide[HISTOGRAM_BINS]).toBe(1.5e308);
    expect(binOf(0, wide)).toBe(10);
    expect(countBinsSorted(Float64Array.of(-1.5e308, 0, 1.5e308), wide)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});
