import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { RandomState } from '../../src/tensor/random.js';

/** Streams produced by NumPy's legacy RandomState; see scripts/golden_random.py. */
interface RandomGolden {
  numpy: string;
  cases: {
    seed: number;
    uint32: number[];
    random_sample: number[];
    standard_normal: number[];
    permutation_10: number[];
    permutation_1000_head: number[];
    randint_0_7: number[];
  }[];
}
const golden = JSON.parse(readFileSync(new URL('../golden/random.json', import.meta.url), 'utf8')) as RandomGolden;

describe('RandomState matches NumPy legacy RandomState bit for bit', () => {
  for (const c of golden.cases) {
    it(`seed ${c.seed}`, () => {
      let rs = new RandomState(c.seed);
      expect(Array.from({ length: c.uint32.length }, () => rs.nextUint32())).toEqual(c.uint32);
      rs = new RandomState(c.seed);
      expect(Array.from({ length: c.random_sample.length }, () => rs.randomSample())).toEqual(c.random_sample);
      rs = new RandomState(c.seed);
      expect(Array.from({ length: c.standard_normal.length }, () => rs.standardNormal())).toEqual(c.standard_normal);
      rs = new RandomState(c.seed);
      expect(Array.from(rs.permutation(10))).toEqual(c.permutation_10);
      rs = new RandomState(c.seed);
      expect(Array.from(rs.permutation(1000).subarray(0, 20))).toEqual(c.permutation_1000_head);
      rs = new RandomState(c.seed);
      expect(Array.from({ length: c.randint_0_7.length }, () => rs.randint(0, 7))).toEqual(c.randint_0_7);
    });
  }

  it('rejects seeds NumPy rejects', () => {
    expect(() => new RandomState(-1)).toThrow(/between 0 and 2\*\*32 - 1/);
    expect(() => new RandomState(2 ** 32)).toThrow(/between 0 and 2\*\*32 - 1/);
  });
});

describe('RandomState snapshots', () => {
  it('resumes a stream exactly from getState()', () => {
    const a = new RandomState(7);
    for (let i = 0; i < 1000; i++) a.standardNormal();
    const snap = JSON.parse(JSON.stringify(a.getState()));
    const expected = Array.from({ length: 50 }, () => a.standardNormal());
    const b = new RandomState(0);
    b.setState(snap);
    expect(Array.from({ length: 50 }, () => b.standardNormal())).toEqual(expected);
  });
});
