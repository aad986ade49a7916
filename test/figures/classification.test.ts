import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  crossEntropyCurves,
  crossEntropyFigure,
  crossEntropyPoint,
  crossEntropyProbabilityCurves,
  lossCurves,
  lossFigure,
  plottedData,
} from '../../src/figures/index.js';
import { close, golden, num } from './golden.js';

describe('cross-entropy against the logit of the true class (golden: PyTorch F.cross_entropy + autograd)', () => {
  for (const case_ of golden.crossEntropy) {
    it(`logits ${JSON.stringify(case_.logits)}, class ${case_.target}`, () => {
      const { rows } = crossEntropyCurves({ logits: case_.logits, target: case_.target, from: case_.from, to: case_.to, points: case_.points });
      for (const s of case_.samples) {
        const row = rows[s.index];
        expect(close(row.logit, num(s.logit), 1e-12)).toBe(true);
        expect(close(row.loss, num(s.loss), 1e-9, 1e-15), `loss ${s.index}`).toBe(true);
        expect(close(row.probability, num(s.probability), 1e-9, 1e-15), `p ${s.index}`).toBe(true);
        expect(close(row.gradient, num(s.gradient), 1e-9, 1e-15), `gradient ${s.index}`).toBe(true);
      }
    });
  }

  it('loss = −log p and gradient = p − 1 at every point (fast-check over logits)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 2, maxLength: 6 }), fc.nat(), (logits, k) => {
        const target = k % logits.length;
        const { rows } = crossEntropyCurves({ logits, target, points: 50 });
        for (const r of rows) {
          expect(r.loss).toBeCloseTo(-Math.log(r.probability), 9);
          expect(r.gradient).toBeCloseTo(r.probability - 1, 12);
        }
        for (let i = 1; i < rows.length; i++) expect(rows[i].loss).toBeLessThan(rows[i - 1].loss);
      }),
      { numRuns: 30 },
    );
  });
});

describe('binary cross-entropy with logits (golden: PyTorch)', () => {
  for (const case_ of golden.bce) {
    it(`target ${case_.target}`, () => {
      const { rows } = lossCurves({ loss: 'bce', target: case_.target, from: case_.from, to: case_.to, points: case_.points });
      for (const s of case_.samples) {
        const row = rows[s.index];
        expect(close(row.loss, num(s.loss), 1e-9, 1e-15), `loss ${s.index}`).toBe(true);
        expect(close(row.likelihood, num(s.probability), 1e-9, 1e-15), `p ${s.index}`).toBe(true);
        expect(close(row.gradient, num(s.gradient), 1e-9, 1e-15), `gradient ${s.index}`).toBe(true);
      }
    });
  }

  it('with y = 1 the curves are −log p, p and p − 1', () => {
    for (const r of lossCurves({ loss: 'bce', points: 100 }).rows) {
      expect(r.loss).toBeCloseTo(-Math.log(r.likelihood), 10);
      expect(r.gradient).toBeCloseTo(r.likelihood - 1, 14);
    }
  });
});

describe('crossEntropyFigure and the binary lossFigure', () => {
  it('exports the rows logit, loss, probability, gradient and labels the axis with the true class', () => {
    const spec = crossEntropyFigure({ logits: [1, 0, -1], target: 2, points: 10 });
    const [set] = plottedData(spec);
    expect(Object.keys(set.rows[0])).toEqual(['logit', 'loss', 'probability', 'gradient']);
    expect(JSON.stringify(spec)).toContain('logit z of the true class 2 (other logits [1, 0])');
    const [binary] = plottedData(lossFigure({ loss: 'bce-with-logits', points: 10 }));
    expect(Object.keys(binary.rows[0])).toEqual(['logit', 'loss', 'probability', 'gradient']);
  });

  it('names the argument for a bad class or target', () => {
    expect(() => crossEntropyFigure({ logits: [1, 2], target: 2 })).toThrow(
      /argument 'target' is 2, but the true class must be an integer in \[0, 1\] \(C = 2\)/,
    );
    expect(() => crossEntropyFigure({ logits: [1] })).toThrow(/argument 'logits' is \[1\], but it needs at least 2 classes/);
    expect(() => lossFigure({ loss: 'bce', target: 2 })).toThrow(/argument 'target' is 2, but it must be a probability in \[0, 1\]/);
    expect(() => lossFigure({ loss: 'bce', from: 1, to: 0 })).toThrow(/argument 'to' is 0, but it must be greater than from \(1\)/);
  });
});

describe('cross-entropy against the probability of the true class', () => {
  it('loss −log p, likelihood p and gradient −1/p (the library backward), on [0.02, 1) by default', () => {
    const { rows } = crossEntropyProbabilityCurves();
    expect(rows).toHaveLength(1000);
    expect(rows[0].probability).toBe(0.02);
    for (const row of rows) {
      expect(row.loss).toBe(-Math.log(row.probability));
      expect(row.likelihood).toBe(row.probability);
      expect(Math.abs(row.gradient + 1 / row.probability)).toBeLessThanOrEqual(1e-15 / row.probability);
    }
  });

  it('the gradient is the slope of the loss (central differences)', () => {
    const { rows } = crossEntropyProbabilityCurves({ from: 0.1, to: 0.9, points: 8000 });
    const h = 1e-4;
    for (let i = 1; i < rows.length - 1; i += 397) {
      const slope = (rows[i + 1].loss - rows[i - 1].loss) / (2 * h);
      // The central difference is off by h² f‴(p) / 6 = h² / (3p³).
      expect(Math.abs(slope - rows[i].gradient)).toBeLessThan((2 * h * h) / (3 * rows[i].probability ** 3));
    }
  });

  it('crossEntropyPoint is the point of both figures at a true-class logit', () => {
    const point = crossEntropyPoint(0.7, { logits: [0, 1, -1], target: 0 });
    const [row] = crossEntropyCurves({ logits: [0, 1, -1], target: 0, from: 0.7, to: 1.7, points: 2 }).rows;
    expect(point.probability).toBe(row.probability);
    expect(point.loss).toBe(row.loss);
    expect(point.gradientLogit).toBe(row.gradient);
    expect(point.gradientProbability).toBe(-1 / row.probability);
    expect(() => crossEntropyPoint(Number.NaN)).toThrow(/argument 'logit' is NaN, but it must be a finite number/);
  });

  it('its figure exports probability, loss, likelihood, gradient, clips the y axis and labels p in both languages', () => {
    const spec = crossEntropyFigure({ against: 'probability', points: 10 });
    const [set] = plottedData(spec);
    expect(Object.keys(set.rows[0])).toEqual(['probability', 'loss', 'likelihood', 'gradient']);
    const text = JSON.stringify(spec);
    expect(text).toContain('probability p = softmax(z)_c of the true class');
    expect(text).toContain('gradient ∂l/∂p = −1/p');
    expect(text).toContain('"domain":[-5,4]');
    expect(JSON.stringify(crossEntropyFigure({ against: 'probability', points: 10, lang: 'zh' }))).toContain('真实类别的概率 p = softmax(z)_c');
    // Against the logit the green curve is the likelihood p, named so.
    expect(JSON.stringify(crossEntropyFigure({ points: 10 }))).toContain('likelihood p, the probability of the true class');
  });

  it('names the argument for a range outside (0, 1], logits it does not use, or an unknown axis', () => {
    expect(() => crossEntropyProbabilityCurves({ from: 0 })).toThrow(/argument 'from' is 0, but a probability range must start above 0/);
    expect(() => crossEntropyProbabilityCurves({ to: 2 })).toThrow(/argument 'to' is 2, but a probability range must end at 1 or below/);
    expect(() => crossEntropyFigure({ against: 'probability', target: 1 })).toThrow(
      /argument 'target' is 1, but against the probability the curves do not depend/,
    );
    expect(() => crossEntropyFigure({ against: 'loss' as 'logit' })).toThrow(/argument 'against' is "loss", but it must be one of logit, probability/);
  });
});

describe('the gradient curve is the slope of the loss curve (central differences)', () => {
  it('cross-entropy and bce', () => {
    const h = 1e-3;
    const ce = crossEntropyCurves({ logits: [0.3, -1, 2], target: 1, from: -4, to: 4, points: 8000 }).rows;
    const bce = lossCurves({ loss: 'bce', target: 0.3, from: -4, to: 4, points: 8000 }).rows;
    for (const rows of [ce, bce]) {
      for (let i = 1; i < rows.length - 1; i += 397) {
        const slope = (rows[i + 1].loss - rows[i - 1].loss) / (2 * h);
        expect(Math.abs(slope - rows[i].gradient)).toBeLessThan(1e-6);
      }
    }
  });
});
