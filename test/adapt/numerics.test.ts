import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { domainClassifierWeights, importanceWeightsFromProbabilities } from '../../src/adapt/importanceWeights.js';
import { adjustPosteriors, bbse, emLabelShift } from '../../src/adapt/labelShift.js';
import { selectModel, type CheckpointRecord, type SelectionRule } from '../../src/adapt/modelSelection.js';
import { devRisk, iwcvRisk, meanPredictionEntropy, softNeighborhoodDensity } from '../../src/adapt/validators.js';

interface BbseGolden {
  confusion: number[];
  mu: number[];
  p: number[];
  weights: number[];
  q: number[];
}
interface Golden {
  label_shift: {
    k: number;
    source_probs: number[];
    source_labels: number[];
    target_probs: number[];
    source_priors: number[];
    bbse_hard: BbseGolden;
    bbse_soft: BbseGolden;
    em: { q: number[]; weights: number[]; iterations: number; posteriors_first: number[] };
  };
  weights: { source: number[]; target: number[]; d: number; raw: number[]; weights: number[]; clipped: number; ess: number };
  validators: { losses: number[]; weights: number[]; iwcv: number; dev: number; logits: number[]; k: number; entropy: number; probs: number[]; snd: number };
  selection: {
    records: { step: number; test_envs: number[]; hparams: number; in_acc: number[]; out_acc: number[] }[];
    results: { test_domain: number; rule: SelectionRule; selection: { hparams: number; step: number; val_acc: number; test_acc: number } | null }[];
  };
}
const golden = JSON.parse(readFileSync(new URL('../golden/adapt.json', import.meta.url), 'utf8')) as Golden;

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i])));
}

describe('label shift: BBSE and EM against NumPy', () => {
  const g = golden.label_shift;
  for (const soft of [false, true]) {
    it(`BBSE ${soft ? 'soft' : 'hard'}: confusion, target predictions, weights and priors`, () => {
      const want = soft ? g.bbse_soft : g.bbse_hard;
      const r = bbse(g.source_probs, g.source_labels, g.target_probs, g.k, { soft });
      expectClose(r.confusion.flat(), want.confusion, 1e-12);
      expectClose(r.targetPredicted, want.mu, 1e-12);
      expectClose(r.sourcePriors, want.p, 1e-12);
      expectClose(r.weights, want.weights, 1e-10);
      expectClose(r.targetPriors, want.q, 1e-10);
    });
  }

  it('EM (Saerens et al.): priors, weights, iterations and posteriors', () => {
    const r = emLabelShift(g.target_probs, g.source_priors);
    expect(r.converged).toBe(true);
    expect(r.iterations).toBe(g.em.iterations);
    expectClose(r.targetPriors, g.em.q, 1e-10);
    expectClose(r.weights, g.em.weights, 1e-10);
    expectClose(r.targetPosteriors.subarray(0, g.em.posteriors_first.length), g.em.posteriors_first, 1e-10);
  });

  it('EM recovers priors it was given (no shift: weights 1) and adjustPosteriors with unit weights is the identity', () => {
    const probs = [0.7, 0.3, 0.2, 0.8, 0.5, 0.5];
    expectClose(adjustPosteriors(probs, [1, 1]), probs, 1e-15);
    const adjusted = adjustPosteriors(probs, [3, 1]);
    expect(adjusted[0]).toBeCloseTo(2.1 / 2.4, 14);
  });

  it('rejects logits passed as probabilities and a singular confusion matrix', () => {
    expect(() => bbse([2, -1], [0], [0.5, 0.5], 2)).toThrow(/bbse: argument 'sourceProbs' is 2 at row 0, class 0, but probabilities must lie in \[0, 1\]/);
    expect(() => bbse([0.9, 0.1, 0.8, 0.2], [0, 1], [0.5, 0.5], 2)).toThrow(/the confusion matrix must be invertible/);
    expect(() => emLabelShift([0.5, 0.5], [1, 0])).toThrow(/every class needs a positive source proportion/);
  });
});

describe('importance weights from a domain classifier against scikit-learn', () => {
  const g = golden.weights;
  it('out-of-fold LogisticRegression(C=1) probabilities → clipped weights and Kish ESS', () => {
    const ns = g.source.length / g.d;
    const nt = g.target.length / g.d;
    const r = domainClassifierWeights({ data: Float64Array.from(g.source), rows: ns, cols: g.d }, { data: Float64Array.from(g.target), rows: nt, cols: g.d });
    // newton-cg in scikit-learn, Newton (IRLS) in losslab: both converge to the optimum
    expectClose(r.raw, g.raw, 1e-7);
    expectClose(r.weights, g.weights, 1e-7);
    expect(r.clipped).toBe(g.clipped);
    expect(r.effectiveSampleSize).toBeCloseTo(g.ess, 6);
    expect(r.auc).toBeGreaterThan(0.6);
  });

  it('property: equal probabilities give equal weights and ESS = n; clipping never raises a weight', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        (p, cap) => {
          const r = importanceWeightsFromProbabilities(p, 10, 5, { maxWeight: cap });
          for (let i = 0; i < p.length; i++) expect(r.weights[i]).toBeLessThanOrEqual(Math.min(r.raw[i], cap));
          expect(r.effectiveSampleSize).toBeLessThanOrEqual(p.length + 1e-9);
        },
      ),
    );
    const same = importanceWeightsFromProbabilities([0.3, 0.3, 0.3, 0.3], 4, 4);
    expect(same.effectiveSampleSize).toBeCloseTo(4, 12);
  });
});

describe('target-free validators against NumPy / PyTorch (pytorch-adapt definitions)', () => {
  const g = golden.validators;
  it('IWCV and DEV risks', () => {
    expect(iwcvRisk(g.losses, g.weights)).toBeCloseTo(g.iwcv, 12);
    expect(devRisk(g.losses, g.weights)).toBeCloseTo(g.dev, 12);
  });
  it('mean prediction entropy and soft neighbourhood density', () => {
    expect(meanPredictionEntropy(g.logits, g.k)).toBeCloseTo(g.entropy, 12);
    expect(softNeighborhoodDensity(g.probs, g.k)).toBeCloseTo(g.snd, 10);
  });
  it('DEV equals IWCV when the weights are all equal (no control variate to use)', () => {
    expect(devRisk([1, 2, 3], [2, 2, 2])).toBeCloseTo(iwcvRisk([1, 2, 3], [2, 2, 2]), 14);
  });
});

describe('DomainBed model selection against an independent Python implementation', () => {
  const records: CheckpointRecord[] = golden.selection.records.map((r) => ({
    step: r.step,
    testDomains: r.test_envs,
    hparams: r.hparams,
    inAcc: r.in_acc,
    outAcc: r.out_acc,
  }));
  for (const want of golden.selection.results) {
    it(`${want.rule}, test domain ${want.test_domain}`, () => {
      const got = selectModel(records, want.test_domain, want.rule);
      if (want.selection === null) {
        expect(got).toBeNull();
        return;
      }
      expect(got).not.toBeNull();
      expect(got?.hparams).toBe(want.selection.hparams);
      expect(got?.step).toBe(want.selection.step);
      expect(got?.valAcc).toBeCloseTo(want.selection.val_acc, 12);
      expect(got?.testAcc).toBe(want.selection.test_acc);
      expect(got?.oracle).toBe(want.rule === 'oracle');
    });
  }

  it('training-domain validation averages only the domains the run trained on when the record names them', () => {
    // adaptation from domain 0 to target 2: domain 1 was neither trained on nor held out; its labels must not choose
    const rs: CheckpointRecord[] = [0, 1, 2].map((s) => ({
      step: s,
      testDomains: [2],
      trainDomains: [0],
      inAcc: [0.9, 0.5, 0.2 + s / 10],
      outAcc: [[0.8, 0.9, 0.7][s], [0.1, 0.2, 0.9][s], 0.5],
    }));
    expect(selectModel(rs, 2, 'training-domain')).toMatchObject({ step: 1, valAcc: 0.9, testAcc: 0.2 + 1 / 10 });
    // without trainDomains DomainBed's rule: every domain but the test domain (here step 2: (0.7 + 0.9) / 2)
    const dg = rs.map(({ trainDomains: _, ...r }) => r);
    expect(selectModel(dg, 2, 'training-domain')).toMatchObject({ step: 2, valAcc: 0.8 });
  });

  it('a target-free validator picks the checkpoint with the best score; the oracle is labelled as such', () => {
    const rs: CheckpointRecord[] = [0, 1, 2].map((s) => ({
      step: s,
      testDomains: [1],
      inAcc: [0.9, 0.5 + s / 10],
      outAcc: [0.9, 0.5],
      scores: { entropy: -Math.abs(s - 1) },
    }));
    expect(selectModel(rs, 1, 'entropy')).toMatchObject({ step: 1, testAcc: 0.6, oracle: false });
    expect(selectModel(rs, 1, 'oracle')?.label).toMatch(/\(oracle\)/);
    expect(selectModel(rs, 1, 'leave-one-domain-out')).toBeNull();
    expect(() => selectModel(rs, 1, 'best' as SelectionRule)).toThrow(/rule.*must be one of training-domain/);
  });
});
