import { describe, expect, it } from 'vitest';
import { Network } from '../../src/models/network.js';
import { SGD as NetworkSGD } from '../../src/models/optimizers.js';
import { cosineLr, Trainer } from '../../src/models/trainer.js';
import { CosineAnnealingLR } from '../../src/optim/lrScheduler.js';
import { SGD } from '../../src/optim/sgd.js';
import { RandomState } from '../../src/tensor/random.js';
import { tensor } from '../../src/tensor/tensor.js';

describe('cosineLr (the --lr-schedule cosine of losslab train)', () => {
  it("gives torch.optim.lr_scheduler.CosineAnnealingLR's learning rates (losslab's golden-tested port), epoch by epoch", () => {
    for (const [lr, epochs] of [
      [0.05, 10],
      [0.1, 3],
      [1, 1],
    ] as const) {
      const opt = new SGD([tensor([1], { requiresGrad: true })], { lr });
      const sched = new CosineAnnealingLR(opt, epochs);
      const f = cosineLr(lr, epochs);
      for (let e = 0; e < epochs; e++) {
        expect(f(e)).toBeCloseTo(sched.getLastLr()[0], 14);
        sched.step();
      }
    }
  });

  it('the Trainer steps with the scheduled rate: one epoch at lr·(1 + cos(π/2))/2 = lr/2 moves the weights like a constant lr/2', () => {
    const rng = new RandomState(1);
    const n = 40;
    const x = Float32Array.from({ length: n * 3 }, () => rng.uniform(0, 1));
    const y = Int32Array.from({ length: n }, (_, i) => i % 2);
    const data = { x, y, n, features: 3, numClasses: 2, scale: 1 } as never;
    const run = (lr: number, schedule?: (e: number) => number): Float32Array => {
      const net = new Network([3, 2], 'float32');
      net.initialize(new RandomState(2), 'd2l');
      const t = new Trainer(net, data, new NetworkSGD({ lr, momentum: 0.9 }), { epochs: 2, batchSize: 8, rng: new RandomState(3), lrSchedule: schedule });
      while (t.step());
      return net.weight(0).data as Float32Array;
    };
    // epoch 0 at 0.2, epoch 1 at 0.1 (2 epochs: (1 + cos(π/2))/2 = 1/2)
    const scheduled = run(0.2, cosineLr(0.2, 2));
    const constant = run(0.2);
    expect(Array.from(scheduled)).not.toEqual(Array.from(constant));
    const manual = run(0.2, (e) => (e === 0 ? 0.2 : 0.1));
    expect(Array.from(scheduled)).toEqual(Array.from(manual));
  });
});
