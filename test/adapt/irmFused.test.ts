import { afterAll, describe, expect, it } from 'vitest';
import { IrmFusedMlp } from '../../src/adapt/irmFused.js';
import { IRM_PAPER_HPARAMS, irmColoredInit, irmColoredTrainer, runIrmColored } from '../../src/adapt/irmProtocol.js';
import { domainInputs } from '../../src/adapt/trainer.js';
import { coloredMnist } from '../../src/data/coloredMnist.js';
import { selectRows } from '../../src/data/dataset.js';
import type { DomainDataset } from '../../src/data/domainDataset.js';
import { kernelBackend, setKernelBackend } from '../../src/kernels/backend.js';
import { benchmarkSource } from '../../src/node/domainData.js';
import { startParallelKernels } from '../../src/node/parallel.js';

function smallColored(rows: number): DomainDataset {
  const source = benchmarkSource('fashion-mnist').data;
  const small = selectRows(
    source,
    Int32Array.from({ length: rows }, (_, i) => i * 17),
  );
  return coloredMnist(small, { trainCount: Math.round((rows * 2) / 3) });
}

function flat(ts: readonly { data: ArrayLike<number> }[]): Float64Array {
  return Float64Array.from(ts.flatMap((t) => Array.from(t.data)));
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor: number): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor));
  return worst;
}

describe('IrmFusedMlp: the IRM paper step written out for full batches', () => {
  const data = smallColored(900);
  // hidden 40 keeps the test fast; anneal 2 puts the 91,257× penalty (and the 1/λ scaling) into steps 2 and 3
  const hparams = { hidden: 40, anneal: 2 };
  const h = { ...IRM_PAPER_HPARAMS.irm, ...hparams };

  it('computes the gradient and the updates of the autograd path (DomainTrainer, IRM on nn modules)', () => {
    const trainer = irmColoredTrainer(data, 'irm', { seed: 3, steps: 4, hparams });
    const rows = [trainer.split.in[0], trainer.split.in[1]];
    const all = Int32Array.from([...rows[0], ...rows[1]]);
    const fused = new IrmFusedMlp(
      domainInputs(data, all),
      Float32Array.from(all, (r) => data.y[r]),
      rows.map((r) => r.length),
      data.features,
      h,
      irmColoredInit(data, 'irm', 3, h.hidden),
    );
    const params = trainer.algorithm.networkParameters();
    try {
      for (let s = 0; s < 4; s++) {
        const want = trainer.step();
        const got = fused.step();
        expect(got.penaltyWeight).toBe(want.terms.penaltyWeight);
        expect(got.nll).toBeCloseTo(want.terms.nll, 6);
        expect(Math.abs(got.penalty - want.terms.penalty)).toBeLessThanOrEqual(1e-5 * Math.abs(want.terms.penalty) + 1e-12);
        expect(Math.abs(got.loss - want.loss)).toBeLessThanOrEqual(1e-5 * Math.abs(want.loss));
        // the gradient of this step (l2 included) in PyTorch's parameter order
        const grads = flat(params.map((p) => p.grad as { data: Float32Array }));
        expect(maxRelDiff(fused.grads, grads, 1e-3 * Math.max(...grads.map(Math.abs)))).toBeLessThan(1e-3);
        expect(maxRelDiff(fused.params, flat(params), 1e-2)).toBeLessThan(1e-5);
      }
    } finally {
      fused.release();
    }
  });

  it('runIrmColored gives the same run on both engines (ERM and IRM), and the same bits on 2 threads', async () => {
    for (const method of ['erm', 'irm'] as const) {
      const options = { seed: 1, steps: 5, hparams: { hidden: 32, anneal: 3 } };
      const modules = runIrmColored(data, method, { ...options, engine: 'modules' });
      const fused = runIrmColored(data, method, options);
      expect(fused.finalLoss).toBeCloseTo(modules.finalLoss, 4);
      expect(Math.abs(fused.trainAccuracy - modules.trainAccuracy)).toBeLessThanOrEqual(2 / 600);
      expect(Math.abs(fused.testAccuracy - modules.testAccuracy)).toBeLessThanOrEqual(2 / 300);
    }
    const pool = startParallelKernels({ minWork: 1 });
    if (!pool) return;
    const previous = kernelBackend();
    try {
      const options = { seed: 2, steps: 4, hparams: { hidden: 48, anneal: 2 } };
      const one = runIrmColored(data, 'irm', options);
      setKernelBackend(pool.backend);
      const executed = pool.executed;
      const two = runIrmColored(data, 'irm', options);
      expect(pool.executed).toBeGreaterThan(executed);
      expect(two.finalLoss).toBe(one.finalLoss);
      expect(two.testAccuracy).toBe(one.testAccuracy);
    } finally {
      setKernelBackend(previous);
      await pool.close();
    }
  });

  it('logits of more rows than it trains on (in chunks) are the float64 forward pass of its parameters', () => {
    const hid = 24;
    const din = data.features;
    const train = Int32Array.from({ length: 50 }, (_, i) => i);
    const fused = new IrmFusedMlp(
      domainInputs(data, train),
      Float32Array.from(train, (r) => data.y[r]),
      [20, 30],
      din,
      { ...h, hidden: hid },
      irmColoredInit(data, 'irm', 5, hid),
    );
    try {
      fused.step();
      fused.step();
      const rows = Int32Array.from({ length: 130 }, (_, i) => 100 + i);
      const x = domainInputs(data, rows);
      const z = fused.logits(x, rows.length);
      const p = fused.params;
      const [w1, b1, w2, b2, w3] = [0, hid * din, hid * din + hid, hid * din + hid + hid * hid, hid * din + 2 * hid + hid * hid];
      const b3 = p[p.length - 1];
      for (let r = 0; r < rows.length; r++) {
        const a1 = Array.from({ length: hid }, (_, j) => {
          let s = p[b1 + j];
          for (let k = 0; k < din; k++) s += p[w1 + j * din + k] * x[r * din + k];
          return Math.max(s, 0);
        });
        let out = b3;
        for (let j = 0; j < hid; j++) {
          let s = p[b2 + j];
          for (let k = 0; k < hid; k++) s += p[w2 + j * hid + k] * a1[k];
          out += p[w3 + j] * Math.max(s, 0);
        }
        expect(Math.abs(z[r] - out)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(out)));
      }
    } finally {
      fused.release();
    }
  });

  it('names a wrong engine, and refuses to run after release()', () => {
    expect(() => runIrmColored(data, 'irm', { engine: 'gpu' as 'fused' })).toThrow(/engine.*it must be 'fused' or 'modules'/s);
    const fused = new IrmFusedMlp(new Float32Array(2 * 392), new Float32Array(2), [1, 1], 392, h, irmColoredInit(data, 'irm', 0, h.hidden));
    fused.release();
    expect(() => fused.step()).toThrow(/after release/);
  });

  afterAll(() => setKernelBackend('auto'));
});
