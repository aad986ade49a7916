import { describe, expect, it } from 'vitest';
import { CrossDomainClassifier } from '../../src/adapt/estimator.js';
import { selectModel } from '../../src/adapt/modelSelection.js';
import { DomainTrainer, type DomainTrainerOptions } from '../../src/adapt/trainer.js';
import { createDataset } from '../../src/data/dataset.js';
import { createDomainDataset, type DomainDataset } from '../../src/data/domainDataset.js';
import { LosslabError } from '../../src/errors.js';
import { RandomState } from '../../src/tensor/random.js';

/**
 * Three domains of 2-feature rows: `shape` predicts the label at ~80% everywhere, `colour` agrees
 * with it 95% / 85% of the time in domains a, b and 5% in c (the correlation flips, as in Colored MNIST).
 */
function spurious(n = 300, seed = 3): { data: DomainDataset; x: number[][]; y: number[]; d: number[] } {
  const rs = new RandomState(seed);
  const x: number[][] = [];
  const y: number[] = [];
  const d: number[] = [];
  [0.95, 0.85, 0.05].forEach((agree, domain) => {
    for (let i = 0; i < n; i++) {
      const label = rs.randomSample() < 0.5 ? 1 : 0;
      const c = rs.randomSample() < agree ? label : 1 - label;
      x.push([2 * label - 1 + rs.normal(0, 1.2), 2 * c - 1 + rs.normal(0, 0.2)]);
      y.push(label);
      d.push(domain);
    }
  });
  const base = createDataset(Float32Array.from(x.flat()), Int32Array.from(y), { features: 2, numClasses: 2 });
  const data = createDomainDataset(base, Int32Array.from(d), { domainNames: ['a', 'b', 'c'], defaultTestDomains: [2], description: 'spurious colour' });
  return { data, x, y, d };
}

const small = (o: Partial<DomainTrainerOptions> = {}): DomainTrainerOptions => ({
  algorithm: 'irm',
  testDomains: [2],
  steps: 30,
  checkpointEvery: 10,
  mlpWidth: 8,
  hparams: { batchSize: 32, irmPenaltyAnnealIters: 5 },
  seed: 1,
  ...o,
});

describe('DomainTrainer: the step API (pausable, per-domain metrics, platform-free)', () => {
  const { data } = spurious();

  it('step() reports the loss, the penalty and its weight, and each training domain’s batch loss and accuracy', () => {
    const t = new DomainTrainer(data, small());
    expect(t.trainDomains).toEqual([0, 1]);
    const r0 = t.step();
    expect(r0.step).toBe(0);
    expect(r0.domains.map((m) => m.domain)).toEqual([0, 1]);
    for (const m of r0.domains) {
      expect(m.accuracy).toBeGreaterThanOrEqual(0);
      expect(m.accuracy).toBeLessThanOrEqual(1);
      expect(m.loss).toBeGreaterThan(0);
    }
    expect(r0.terms.penaltyWeight).toBe(1);
    expect(r0.terms.penalty).toBeGreaterThanOrEqual(0);
    // loss = mean nll + weight · penalty before the anneal step
    expect(r0.loss).toBeCloseTo(r0.terms.nll + r0.terms.penalty, 5);
    for (let s = 1; s < 6; s++) t.step();
    expect(t.history.steps.at(-1)?.terms.penaltyWeight).toBe(100);
    expect(t.stepsTaken).toBe(6);
  });

  it('pausing changes nothing: stepping in pieces with checkpoints in between gives run()’s losses and checkpoints', () => {
    const a = new DomainTrainer(data, small());
    a.run();
    const b = new DomainTrainer(data, small());
    while (!b.done) {
      b.step();
      if (b.checkpointDue) b.evaluate();
    }
    expect(b.history.steps.map((s) => s.loss)).toEqual(a.history.steps.map((s) => s.loss));
    // DomainBed's checkpoints: after step 0, every 10 steps, and after the last
    expect(a.history.checkpoints.map((c) => c.step)).toEqual([0, 10, 20, 29]);
    expect(b.history.checkpoints.map((c) => c.inAcc)).toEqual(a.history.checkpoints.map((c) => c.inAcc));
    const c = a.history.checkpoints[3];
    expect(c.inAcc).toHaveLength(3);
    expect(c.outAcc).toHaveLength(3);
    expect(c.testDomains).toEqual([2]);
    expect(Number.isFinite(c.trainLoss)).toBe(true);
  });

  it('a different seed gives a different run; snapshot/restore brings back a checkpoint’s predictions', () => {
    const a = new DomainTrainer(data, small());
    const b = new DomainTrainer(data, small({ seed: 2 }));
    a.step();
    b.step();
    expect(a.history.steps[0].loss).not.toBe(b.history.steps[0].loss);
    const rows = a.split.in[2];
    const saved = a.snapshot();
    const before = a.accuracy(rows);
    const features = a.features(rows.subarray(0, 5));
    for (let s = 0; s < 20; s++) a.step();
    a.restore(saved);
    expect(a.accuracy(rows)).toBe(before);
    expect(a.features(rows.subarray(0, 5))).toEqual(features);
  });

  it('every algorithm takes steps on the same data (domain adaptation ones with a target domain)', () => {
    for (const algorithm of ['erm', 'vrex', 'groupdro', 'mixup', 'mldg', 'coral', 'mmd', 'dann'] as const) {
      const t = new DomainTrainer(data, small({ algorithm, steps: 3, hparams: { batchSize: 16 } }));
      t.run();
      expect(t.history.steps).toHaveLength(3);
      expect(Number.isFinite(t.history.steps[2].loss)).toBe(true);
    }
    for (const algorithm of ['dann', 'coral', 'dan', 'importance-weighting'] as const) {
      const t = new DomainTrainer(data, small({ algorithm, testDomains: [], targetDomains: [2], steps: 3, hparams: { batchSize: 16 } }));
      t.run();
      const c = t.history.checkpoints.at(-1);
      expect(c?.scores?.entropy).toBeLessThanOrEqual(0);
      expect(Number.isFinite(c?.scores?.snd ?? Number.NaN)).toBe(true);
    }
  });

  it('checkpoints name the training domains: with one source domain, training-domain validation ignores the unused domain', () => {
    // source a → target c; domain b is neither trained on nor the target: its labels must not pick the model
    const t = new DomainTrainer(
      data,
      small({ algorithm: 'erm', hparams: { batchSize: 32 }, testDomains: [], targetDomains: [2], trainDomains: [0], steps: 20, checkpointEvery: 5 }),
    );
    t.run();
    const records = t.history.checkpoints;
    expect(records.every((c) => c.trainDomains?.join() === '0')).toBe(true);
    const best = records.reduce((b, c) => (c.outAcc[0] > b.outAcc[0] ? c : b));
    expect(selectModel(records, 2, 'training-domain')).toMatchObject({ step: best.step, valAcc: best.outAcc[0] });
  });

  it('bad options are one LosslabError naming the argument', () => {
    expect(() => new DomainTrainer(data, small({ steps: 0 }))).toThrow(/argument 'steps' is 0/);
    expect(() => new DomainTrainer(data, small({ testDomains: [5] }))).toThrow(LosslabError);
    expect(() => new DomainTrainer(data, small({ hparams: { irmLambdaa: 3 } }))).toThrow(/IRM has no such hyperparameter/);
    expect(() => new DomainTrainer(data, small({ algorithm: 'importance-weighting' }))).toThrow(/needs a target domain/);
  });
});

describe('CrossDomainClassifier: fit / predict / score as scikit-learn names them', () => {
  const { x, y, d } = spurious(250, 5);
  const train = x.map((_, i) => i).filter((i) => d[i] !== 2);
  const test = x.map((_, i) => i).filter((i) => d[i] === 2);
  const labels = y.map((v) => (v === 1 ? 7 : 3)); // any integer labels: classes holds them sorted

  it('fits across domains; predict returns the original labels; score is the accuracy of predict', () => {
    const clf = new CrossDomainClassifier({ method: 'erm', mlpWidth: 8, steps: 60, checkpointEvery: 20, hparams: { batchSize: 32 }, seed: 0 });
    clf.fit(
      train.map((i) => x[i]),
      train.map((i) => labels[i]),
      { domains: train.map((i) => (d[i] === 0 ? 'a' : 'b')) },
    );
    expect(clf.classes).toEqual([3, 7]);
    expect([0, 20, 40, 59]).toContain(clf.selectedStep);
    const Xt = test.map((i) => x[i]);
    const yt = test.map((i) => labels[i]);
    const pred = clf.predict(Xt);
    expect(new Set(pred)).toEqual(new Set([3, 7]));
    const acc = pred.reduce((s, p, i) => s + (p === yt[i] ? 1 : 0), 0) / yt.length;
    expect(clf.score(Xt, yt)).toBeCloseTo(acc, 12);
    const proba = clf.predictProba(Xt.slice(0, 4));
    for (let i = 0; i < 4; i++) expect(proba[2 * i] + proba[2 * i + 1]).toBeCloseTo(1, 6);
    expect(() => clf.predict([[1, 2, 3]])).toThrow(/rows must have the shape fit saw/);
  });

  it('adapts with unlabelled target rows and a target-free validator; errors before fit and for bad labels', () => {
    const clf = new CrossDomainClassifier({ method: 'dann', mlpWidth: 8, steps: 20, checkpointEvery: 10, select: 'entropy', hparams: { batchSize: 32 } });
    expect(() => clf.predict([[0, 0]])).toThrow(/call fit\(X, y\) first/);
    clf.fit(
      train.map((i) => x[i]),
      train.map((i) => y[i]),
      { targetX: test.map((i) => x[i]) },
    );
    expect(clf.trainer?.targetDomains).toHaveLength(1);
    expect(
      clf.score(
        test.map((i) => x[i]),
        test.map((i) => y[i]),
      ),
    ).toBeGreaterThan(0);
    expect(() => new CrossDomainClassifier().fit([[0, 1]], [0.5])).toThrow(/labels must be integers/);
    expect(() => new CrossDomainClassifier({ method: 'magic' })).toThrow(/methods are erm/);
  });
});
