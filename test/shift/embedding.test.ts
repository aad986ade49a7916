import { describe, expect, it } from 'vitest';
import { tsne, tsneSteps } from '../../src/manifold/tsne.js';
import { trustworthiness } from '../../src/manifold/trustworthiness.js';
import { analyzeShift } from '../../src/shift/analyze.js';
import { makeDemo } from '../../src/shift/demo.js';
import { embedRows, type EmbeddingProgress } from '../../src/shift/embedding.js';
import { clusters } from '../manifold/replay.js';

describe('embeddings of the shift report, step by step', () => {
  it('tsneSteps yields once after the affinities and once per iteration, and returns exactly what tsne returns', () => {
    const X = clusters(3, 120, 6, 3);
    for (const method of ['barnes_hut', 'exact'] as const) {
      const steps = tsneSteps(X, { method, randomState: 2, nIter: 300 });
      const phases: string[] = [];
      let step = steps.next();
      while (!step.done) {
        phases.push(step.value.phase);
        step = steps.next();
      }
      expect(phases[0]).toBe('neighbors');
      expect(phases.filter((p) => p === 'exaggeration').length).toBe(250);
      expect(phases.filter((p) => p === 'optimize').length).toBe(50);
      const whole = tsne(X, { method, randomState: 2, nIter: 300 });
      expect(Array.from(step.value.embedding)).toEqual(Array.from(whole.embedding));
      expect(step.value.klDivergence).toBe(whole.klDivergence);
    }
  });

  it("embedRows: t-SNE keeps the clusters' neighbourhoods; progress counts up to the total for both methods", () => {
    const X = clusters(5, 160, 8, 4);
    const half = { rows: 80, cols: 8, data: X.data.subarray(0, 80 * 8) };
    const rest = { rows: 80, cols: 8, data: X.data.subarray(80 * 8) };
    for (const method of ['tsne', 'umap'] as const) {
      const seen: EmbeddingProgress[] = [];
      const points = embedRows(half, rest, { method, seed: 1 }, (p) => seen.push(p));
      expect(points.length).toBe(160);
      expect(points.filter((p) => p.set === 'train').length).toBe(80);
      expect(points[79].set).toBe('train');
      expect(points[80].set).toBe('valid');
      expect(seen.length).toBeGreaterThan(100);
      expect(seen.every((p, i) => p.method === method && (i === 0 || p.done > seen[i - 1].done))).toBe(true);
      expect(seen[seen.length - 1].done).toBeLessThanOrEqual(seen[seen.length - 1].total);
      const Y = { rows: 160, cols: 2, data: Float64Array.from(points.flatMap((p) => [p.x, p.y])) };
      expect(trustworthiness(X, Y)).toBeGreaterThan(0.9);
    }
  });

  it("analyzeShift's embedding: method and rows as asked, reproducible, UMAP by default", () => {
    const d = makeDemo('covariate', { seed: 4 });
    const options = { label: d.label, group: d.group, time: d.time, pred: d.pred, seed: 3, mmdPermutations: 19, embeddingRows: 40 };
    const t1 = analyzeShift(d.train, d.valid, { ...options, embeddingMethod: 'tsne' });
    const t2 = analyzeShift(d.train, d.valid, { ...options, embeddingMethod: 'tsne' });
    expect(t1.embedding?.method).toBe('tsne');
    expect(t1.embedding?.points.length).toBe(80);
    expect(t1.embedding?.points).toEqual(t2.embedding?.points);
    const u = analyzeShift(d.train, d.valid, options);
    expect(u.embedding?.method).toBe('umap');
    expect(u.embedding?.points.length).toBe(80);
    expect(u.embedding?.points).not.toEqual(t1.embedding?.points);
  });
});
