import { describe, expect, it } from 'vitest';
import { runAdaptation } from '../../src/adapt/adaptationExperiment.js';
import { createDataset } from '../../src/data/dataset.js';
import { createDomainDataset } from '../../src/data/domainDataset.js';
import { RandomState } from '../../src/tensor/random.js';

/** Two Gaussian classes in 4-d; the target domain is the source shifted by +1.5 in every coordinate. */
function shiftedBlobs(n = 300) {
  const rs = new RandomState(3);
  const x = new Float32Array(2 * n * 4);
  const y = new Int32Array(2 * n);
  const domains = new Int32Array(2 * n).fill(1, n);
  for (let i = 0; i < 2 * n; i++) {
    y[i] = i % 2;
    for (let j = 0; j < 4; j++) x[i * 4 + j] = (y[i] ? 1 : -1) * (j < 2 ? 1 : 0) + rs.normal(0, 0.7) + (i >= n ? 1.5 : 0);
  }
  return createDomainDataset(createDataset(x, y, { features: 4 }), domains, { domainNames: ['source', 'target'], description: 'blobs' });
}

describe('runAdaptation (source → target, target-free selection)', () => {
  it('records checkpoints with target accuracy and validator scores; the validator picks one of them; the oracle is the best', () => {
    const data = shiftedBlobs();
    const r = runAdaptation(data, { source: 0, target: 1, method: 'dann', seeds: 2, steps: 40, checkpointEvery: 10, batchSize: 32, evalRows: 200, width: 16 });
    expect(r.runs).toHaveLength(2);
    for (const run of r.runs) {
      expect(run.checkpoints.map((c) => c.step)).toEqual([10, 20, 30, 40]);
      expect(run.checkpoints.some((c) => c.step === run.selectedStep)).toBe(true);
      expect(run.oracle).toBeGreaterThanOrEqual(run.selected);
      const best = run.checkpoints.reduce((a, c) => (c.entropy > a.entropy ? c : a));
      expect(run.selected).toBe(best.targetAcc);
    }
    expect(r.oracle.mean).toBeGreaterThan(0.6);
    expect(() => runAdaptation(data, { source: 0, target: 0, method: 'dan' })).toThrow(
      /runAdaptation: argument 'target' is 0, but it must differ from the source domain/,
    );
  });
});
