import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crossEntropyCurves, crossEntropyFigure, lossCurves, lossFigure, plottedData } from '../../src/figures/index.js';
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
