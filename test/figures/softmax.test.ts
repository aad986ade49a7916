import { describe, expect, it } from 'vitest';
import { expOverflowThreshold, naiveSoftmaxRows, plottedCsv, softmaxFigure, softmaxRows } from '../../src/figures/index.js';
import { close, golden, num, nums } from './golden.js';

describe('naive vs stable softmax (golden: NumPy exp/sum in float32 and float64, torch.softmax)', () => {
  for (const case_ of golden.softmax) {
    it(`logits ${JSON.stringify(case_.logits)}, T = ${case_.temperature}`, () => {
      const { rows } = naiveSoftmaxRows({ logits: case_.logits, temperature: case_.temperature });
      const column = (key: 'expFloat64' | 'expFloat32' | 'naiveFloat64' | 'naiveFloat32' | 'stable') => rows.map((r) => r[key]);
      const expect64 = (got: number[], want: unknown[]) =>
        got.forEach((g, i) => {
          expect(close(g, num(want[i]), 1e-12, 1e-300), `${g} vs ${String(want[i])}`).toBe(true);
        });
      // NumPy's float32 exp is within 1 ulp of the correctly rounded value (it uses SIMD approximations).
      const expect32 = (got: number[], want: unknown[]) =>
        got.forEach((g, i) => {
          expect(close(g, num(want[i]), 3e-7, 1e-37), `${g} vs ${String(want[i])}`).toBe(true);
        });
      expect64(column('expFloat64'), case_.expFloat64);
      expect64(column('naiveFloat64'), case_.naiveFloat64);
      expect64(column('stable'), case_.stable);
      expect32(column('expFloat32'), case_.expFloat32);
      expect32(column('naiveFloat32'), case_.naiveFloat32);
    });
  }

  it('overflow thresholds are ln of the largest float32 / float64', () => {
    expect(close(expOverflowThreshold('float64'), num(golden.overflowThresholds.float64), 1e-15)).toBe(true);
    expect(close(expOverflowThreshold('float32'), num(golden.overflowThresholds.float32), 1e-7)).toBe(true);
    expect(Math.exp(expOverflowThreshold('float64'))).toBeLessThan(Infinity);
    expect(Math.exp(expOverflowThreshold('float64') + 1e-9)).toBe(Infinity);
    expect(Math.fround(Math.exp(expOverflowThreshold('float32') + 1e-4))).toBe(Infinity);
  });

  it('softmaxRows uses the temperature like torch.softmax(z / T)', () => {
    for (const case_ of golden.softmax.filter((c) => c.logits.every((z) => Math.abs(z) < 300))) {
      const { rows } = softmaxRows({ logits: case_.logits, temperature: case_.temperature });
      rows.forEach((r, k) => {
        expect(close(r.probability, num(case_.stable[k]), 1e-12, 1e-300)).toBe(true);
      });
    }
  });
});

describe('softmaxFigure', () => {
  it('the naive view exports NaN where exp overflowed and draws both thresholds', () => {
    const spec = softmaxFigure({ naive: true, logits: [1000, 999, 998] });
    const csv = plottedCsv(spec).trim().split('\n');
    expect(csv[0]).toBe('class,logit,expFloat64,expFloat32,stable,naiveFloat64,naiveFloat32');
    expect(csv[1].split(',').slice(2)).toEqual(['Infinity', 'Infinity', String(nums(golden.explain.softmax.bigStable)[0]), 'NaN', 'NaN']);
    const text = JSON.stringify(spec);
    expect(text).toContain('float32: exp overflows above z = 88.723');
    expect(text).toContain('float64: exp overflows above z = 709.78');
  });

  it('the plain view plots logits and probabilities; the temperature is in the title', () => {
    const spec = softmaxFigure({ logits: [3, 1], temperature: 2, lang: 'zh' });
    expect(JSON.stringify(spec)).toContain('T = 2');
    const [header, first] = plottedCsv(spec).trim().split('\n');
    expect(header).toBe('class,logit,probability');
    expect(Number(first.split(',')[2])).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });

  it('names the argument for bad logits or temperature', () => {
    expect(() => softmaxFigure({ logits: [] })).toThrow(/argument 'logits' is \[\], but it must hold from 1 to 50 logits/);
    expect(() => softmaxFigure({ logits: [1, NaN] })).toThrow(/argument 'logits' is NaN, but it must be a finite number/);
    expect(() => softmaxFigure({ temperature: 0 })).toThrow(/argument 'temperature' is 0, but it must be greater than 0/);
  });
});
