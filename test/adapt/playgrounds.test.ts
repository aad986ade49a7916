import { describe, expect, it } from 'vitest';
import { createPlayground, playgroundSnapshot, TwoMoonsPlayground } from '../../src/adapt/playgrounds/index.js';
import { DomainTrainer } from '../../src/adapt/trainer.js';
import { twoMoonsDomains } from '../../src/data/twoMoons.js';
import { LosslabError } from '../../src/errors.js';

describe('domain-page playgrounds (src/adapt/playgrounds)', () => {
  it('two moons: the playground is losslab adapt’s DomainTrainer — the same steps give the same model', () => {
    const p = new TwoMoonsPlayground({ method: 'deep-coral', angle: 40, steps: 30, seed: 2, n: 100 });
    expect(p.trainer).toBeInstanceOf(DomainTrainer);
    const direct = new DomainTrainer(twoMoonsDomains({ n: 100, angle: 40, seed: 2 }), {
      algorithm: 'coral',
      targetDomains: [1],
      holdoutFraction: 0,
      steps: 30,
      seed: 2,
      mlpWidth: 16,
      mlpDepth: 3,
      validators: false,
      hparams: { batchSize: 64, lr: 1e-3 },
    });
    while (!p.done) {
      const terms = p.step();
      const r = direct.step();
      expect(terms.loss).toBe(r.loss);
    }
    const point = p.evaluate();
    expect(point.step).toBe(30);
    expect(point.accuracy).toEqual([
      direct.accuracy(Int32Array.from({ length: 100 }, (_, i) => i)),
      direct.accuracy(Int32Array.from({ length: 100 }, (_, i) => 100 + i)),
    ]);
    expect(p.testDomains).toEqual([1]);
  });

  it('two moons: the snapshot covers both clouds with probabilities and gives 2-D features of every point', () => {
    const p = createPlayground({ playground: 'moons', method: 'dann', angle: 30, steps: 5, seed: 0 });
    p.step();
    const s = playgroundSnapshot(p);
    if (s?.kind !== 'moons') throw new Error('expected a moons snapshot');
    expect(s.grid.values.length).toBe(s.grid.nx * s.grid.ny);
    for (const v of s.grid.values) expect(v >= 0 && v <= 1).toBe(true);
    expect(s.features.length).toBe((2 * s.points.length) / 2);
    for (let i = 0; i < s.points.length; i += 2) {
      expect(s.points[i]).toBeGreaterThanOrEqual(s.grid.x0);
      expect(s.points[i]).toBeLessThanOrEqual(s.grid.x0 + (s.grid.nx - 1) * s.grid.dx);
    }
    expect(Number.isFinite(p.evaluate().terms.lambda)).toBe(true);
  });

  it('rejects an unknown method or playground with a LosslabError', () => {
    expect(() => new TwoMoonsPlayground({ method: 'irm' as never })).toThrow(LosslabError);
    expect(() => createPlayground({ playground: 'nope' } as never)).toThrow(/settings.playground/);
    expect(() => createPlayground({ playground: 'colored', method: 'irm', images: 100, steps: 1, seed: 0 })).toThrow(/Fashion-MNIST/);
  });
});
