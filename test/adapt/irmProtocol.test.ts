import { describe, expect, it } from 'vitest';
import { grayscaleDomainDataset, irmColoredInit, irmColoredTrainer, runIrmColored } from '../../src/adapt/irmProtocol.js';
import { coloredMnist } from '../../src/data/coloredMnist.js';
import { selectRows } from '../../src/data/dataset.js';
import { benchmarkSource } from '../../src/node/domainData.js';

describe('IRM Colored Fashion-MNIST protocol on a small subset (the full protocol runs in the benchmark)', () => {
  it('the grayscale model learns the shape (train ≈ test ≈ 70%); ERM is fooled by the colour on the test environment', () => {
    const source = benchmarkSource('fashion-mnist').data;
    const small = selectRows(
      source,
      Int32Array.from({ length: 3000 }, (_, i) => i * 23),
    );
    const data = coloredMnist(small, { trainCount: 2000 });
    const gray = runIrmColored(data, 'gray', { steps: 60 });
    expect(gray.testAccuracy).toBeGreaterThan(0.6);
    expect(Math.abs(gray.trainAccuracy - gray.testAccuracy)).toBeLessThan(0.1);
    const erm = runIrmColored(data, 'erm', { steps: 50 });
    expect(erm.testAccuracy).toBeLessThan(0.45);
    expect(erm.trainAccuracy - erm.testAccuracy).toBeGreaterThan(0.3);
    expect(grayscaleDomainDataset(data).inputShape).toEqual([1, 14, 14]);
    // the peers' initial weights are the trainer's
    const init = irmColoredInit(data, 'irm', 4);
    const t = irmColoredTrainer(data, 'irm', { seed: 4, steps: 1 });
    expect(Float32Array.from(t.algorithm.networkParameters().flatMap((p) => Array.from(p.data)))).toEqual(init);
    expect(() => runIrmColored(data, 'dro' as 'irm')).toThrow(/it must be irm, erm or gray/);
  }, 180_000);
});
