import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createDataset } from '../../src/data/dataset.js';
import { Network } from '../../src/models/network.js';
import { Adam, SGD, createOptimizer, type Optimizer } from '../../src/models/optimizers.js';
import { Trainer, type EpochResult } from '../../src/models/trainer.js';
import { decodeTrainingCheckpoint, encodeTrainingCheckpoint, summarizeData } from '../../src/models/checkpoint.js';
import { RandomState } from '../../src/tensor/random.js';
import { expectClose, golden } from './golden.js';

const g = golden.optimizer;

function makeOptimizer(spec: (typeof g.cases)[number]['optimizer']): Optimizer {
  return spec.name === 'adam'
    ? new Adam({ lr: spec.lr, betas: spec.betas, eps: spec.eps, weightDecay: spec.weightDecay })
    : new SGD({ lr: spec.lr, momentum: spec.momentum, weightDecay: spec.weightDecay, nesterov: spec.nesterov, dampening: spec.dampening });
}

function goldenData() {
  return createDataset(Float32Array.from(g.X), Int32Array.from(g.y), { features: g.features, numClasses: g.classes });
}

describe('optimizers reproduce torch.optim trajectories (2 epochs, explicit batch order, float64)', () => {
  for (const c of g.cases) {
    it(`${c.name} ${JSON.stringify(c.optimizer)}`, async () => {
      const net = new Network([g.features, g.classes], 'float64');
      net.weight(0).data.set(g.W0);
      const trainer = new Trainer(net, goldenData(), makeOptimizer(c.optimizer), { epochs: 2, batchSize: g.batchSize, order: (e) => g.orders[e] });
      const outcome = await trainer.run();
      expect(outcome.completed).toBe(true);
      expect(expectClose(net.weight(0).data, c.W, 1e-10, 1e-13)).toBeLessThanOrEqual(1);
      expect(expectClose(net.bias(0).data, c.b, 1e-10, 1e-13)).toBeLessThanOrEqual(1);
      expect(
        expectClose(
          outcome.history.map((r) => r.trainLoss),
          c.epochLoss,
          1e-12,
          0,
        ),
      ).toBeLessThanOrEqual(1);
    });

    it(`${c.name} in float32 stays within float32 rounding (rtol 1e-5)`, async () => {
      const net = new Network([g.features, g.classes], 'float32');
      net.weight(0).data.set(g.W0);
      await new Trainer(net, goldenData(), makeOptimizer(c.optimizer), { epochs: 2, batchSize: g.batchSize, order: (e) => g.orders[e] }).run();
      expect(expectClose(net.weight(0).data, c.W, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
    });
  }

  it('a wrong learning rate does not match (the comparison can fail)', async () => {
    const c = g.cases[0];
    const net = new Network([g.features, g.classes], 'float64');
    net.weight(0).data.set(g.W0);
    await new Trainer(net, goldenData(), new SGD({ lr: 0.1001 }), { epochs: 2, batchSize: g.batchSize, order: (e) => g.orders[e] }).run();
    expect(expectClose(net.weight(0).data, c.W, 1e-10, 1e-13)).toBeGreaterThan(1);
  });
});

describe('optimizer arguments', () => {
  it('rejects bad settings naming the argument and the rule', () => {
    expect(() => new SGD({ lr: -0.1 })).toThrow(/SGD: argument 'lr' is -0.1, but it must be a finite number ≥ 0/);
    expect(() => new SGD({ lr: 0.1, nesterov: true })).toThrow(/Nesterov momentum requires a momentum > 0/);
    expect(() => new Adam({ betas: [1, 0.999] })).toThrow(/Adam: argument 'betas\[0\]' is 1, but it must lie in \[0, 1\)/);
    expect(() => createOptimizer({ name: 'adam', momentum: 0.9 })).toThrow(/momentum applies to SGD only/);
  });
});

function smallProblem(seed: number, n = 45, d = 6, c = 3) {
  const rs = new RandomState(seed);
  const x = Float32Array.from({ length: n * d }, () => rs.standardNormal());
  const y = Int32Array.from({ length: n }, () => rs.randint(0, c));
  return createDataset(x, y, { features: d, numClasses: c });
}

function run(seed: number, optimizer: 'sgd' | 'adam', hidden: readonly number[], _abortAfter: number | null) {
  const data = smallProblem(seed);
  const rng = new RandomState(seed);
  const net = new Network([data.features, ...hidden, data.numClasses]);
  net.initialize(rng, 'pytorch');
  const opt = createOptimizer({ name: optimizer, lr: optimizer === 'adam' ? 0.01 : 0.1, momentum: optimizer === 'sgd' ? 0.9 : undefined, weightDecay: 1e-3 });
  return { data, rng, net, opt, trainer: new Trainer(net, data, opt, { epochs: 4, batchSize: 7, rng }) };
}

describe('Trainer: checkpoint and resume are bit-exact', () => {
  it('snapshot → encode → decode → restore mid-epoch gives exactly the uninterrupted result (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 25 }),
        fc.constantFrom<'sgd' | 'adam'>('sgd', 'adam'),
        fc.constantFrom([], [5]),
        async (seed, stopAfter, optimizer, hidden) => {
          const full = run(seed, optimizer, hidden, null);
          await full.trainer.run();

          const first = run(seed, optimizer, hidden, null);
          for (let i = 0; i < stopAfter; i++) first.trainer.step();
          const bytes = encodeTrainingCheckpoint(first.trainer, { seed }, summarizeData(first.data));
          const second = run(seed, optimizer, hidden, null);
          const decoded = decodeTrainingCheckpoint(bytes, 'checkpoint.safetensors', second.trainer);
          second.net.initialize(new RandomState(999)); // different weights: restore must overwrite them
          second.trainer.restore(decoded.snapshot);
          await second.trainer.run();
          second.net.params.forEach((p, i) => {
            expect(Array.from(p.data)).toEqual(Array.from(full.net.params[i].data));
          });
          const strip = (h: readonly EpochResult[]) => h.map(({ seconds: _s, ...rest }) => rest);
          expect(strip(second.trainer.history)).toEqual(strip(full.trainer.history));
        },
      ),
      { numRuns: 15 },
    );
  });

  it('an aborted signal stops run() at a batch boundary with completed = false', async () => {
    const r = run(1, 'sgd', [], null);
    const controller = new AbortController();
    let batches = 0;
    const trainer = new Trainer(r.net, r.data, r.opt, {
      epochs: 4,
      batchSize: 7,
      rng: r.rng,
      signal: controller.signal,
      onBatch: () => ++batches === 5 && controller.abort(),
    });
    const outcome = await trainer.run();
    expect(outcome.completed).toBe(false);
    expect(batches).toBe(5);
    expect(trainer.snapshot().position).toBe(35);
  });

  it('a corrupt checkpoint is refused with a message naming the file', () => {
    const r = run(2, 'adam', [4], null);
    r.trainer.step();
    const bytes = encodeTrainingCheckpoint(r.trainer, {}, summarizeData(r.data));
    const flipped = bytes.slice();
    flipped[flipped.length - 10] ^= 0x01;
    expect(() => decodeTrainingCheckpoint(flipped, 'ck.safetensors', r.trainer)).toThrow(
      /ck\.safetensors.*checksum must be "crc32:[0-9a-f]{8}": the checkpoint is corrupt or was edited/,
    );
    expect(() => decodeTrainingCheckpoint(bytes.subarray(0, 20), 'ck.safetensors', r.trainer)).toThrow(
      /ck\.safetensors.*a safetensors file .*the file is corrupt/,
    );
  });
});

describe('Trainer bookkeeping', () => {
  it('visits every row once per epoch; the last batch is smaller; loss and accuracy are means over rows', async () => {
    const data = smallProblem(3, 45);
    const net = new Network([data.features, data.numClasses]);
    const seen: number[] = [];
    const trainer = new Trainer(net, data, new SGD({ lr: 0 }), {
      epochs: 1,
      batchSize: 20,
      onBatch: (p) => seen.push(p.rowsDone),
    });
    await trainer.run();
    expect(seen).toEqual([20, 40, 45]);
    // zero weights and lr 0: every row has loss ln(3) and predicts class 0
    expect(trainer.history[0].trainLoss).toBeCloseTo(Math.log(3), 6);
    const zeros = Array.from(data.y).filter((v) => v === 0).length;
    expect(trainer.history[0].trainAccuracy).toBeCloseTo(zeros / 45, 12);
    expect(trainer.history[0].testAccuracy).toBeNull();
  });

  it('shuffles with rng.permutation(n) each epoch (NumPy RandomState order)', async () => {
    const data = smallProblem(4, 10);
    const net = new Network([data.features, data.numClasses]);
    const orders: number[][] = [];
    const rng = new RandomState(11);
    const expected = new RandomState(11);
    const trainer = new Trainer(net, data, new SGD({ lr: 0 }), {
      epochs: 2,
      batchSize: 10,
      rng,
      onBatch: () => orders.push(Array.from((trainer.snapshot().order ?? []) as Int32Array)),
    });
    await trainer.run();
    expect(orders[0]).toEqual(Array.from(expected.permutation(10)));
    expect(orders[1]).toEqual(Array.from(expected.permutation(10)));
  });

  it('rejects mismatched data and bad settings', () => {
    const data = smallProblem(5);
    expect(() => new Trainer(new Network([7, 3]), data, new SGD())).toThrow(
      /Trainer: argument 'data' is 6 features per row, but the model takes 7 inputs per row/,
    );
    expect(() => new Trainer(new Network([6, 3]), data, new SGD(), { batchSize: 0 })).toThrow(/argument 'batchSize' is 0/);
    const bad = new Trainer(new Network([6, 3]), data, new SGD(), { order: () => [0, 1] });
    expect(() => bad.step()).toThrow(/each epoch's order must list all 45 rows/);
  });
});
