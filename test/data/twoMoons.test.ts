import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeMoons, MOONS_CENTRE, rotatePoints, twoMoonsDomains } from '../../src/data/twoMoons.js';
import { LosslabError } from '../../src/errors.js';

interface Case {
  nSamples: number;
  noise: number | null;
  randomState: number;
  shuffle: boolean;
  x: number[];
  y: number[];
}
const golden = JSON.parse(readFileSync(new URL('../golden/make_moons.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('makeMoons (scikit-learn make_moons)', () => {
  it('returns scikit-learn’s points and labels for the same seed', () => {
    expect(golden.cases.length).toBeGreaterThan(4);
    for (const c of golden.cases) {
      const m = makeMoons({ nSamples: c.nSamples, noise: c.noise, randomState: c.randomState, shuffle: c.shuffle });
      expect(Array.from(m.y), JSON.stringify(c.nSamples)).toEqual(c.y);
      expect(m.x.length).toBe(c.x.length);
      for (let i = 0; i < c.x.length; i++) expect(Math.abs(m.x[i] - c.x[i])).toBeLessThan(1e-12);
    }
  });

  it('without noise every point lies on its half circle', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 200 }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
        const m = makeMoons({ nSamples: n, randomState: seed });
        for (let i = 0; i < n; i++) {
          const [px, py] = [m.x[2 * i], m.x[2 * i + 1]];
          const r = m.y[i] === 0 ? Math.hypot(px, py) : Math.hypot(px - 1, py - 0.5);
          if (Math.abs(r - 1) > 1e-12) return false;
        }
        return m.y.reduce((s, v) => s + v, 0) === n - Math.floor(n / 2);
      }),
    );
  });

  it('rejects a bad size or noise with a LosslabError naming the argument', () => {
    expect(() => makeMoons({ nSamples: 1 })).toThrow(LosslabError);
    expect(() => makeMoons({ nSamples: 1 })).toThrow(/nSamples/);
    expect(() => makeMoons({ noise: -1 })).toThrow(/noise/);
    expect(() => twoMoonsDomains({ angle: Number.NaN })).toThrow(/angle/);
  });
});

describe('twoMoonsDomains', () => {
  it('turns the target about the centre: distances to it are kept, the angle is the given one', () => {
    fc.assert(
      fc.property(fc.double({ min: -180, max: 180, noNaN: true }), (deg) => {
        const x = Float64Array.from([1.5, 0.25, 0.5, 1.25]);
        const r = rotatePoints(x, deg);
        const a = Math.atan2(r[1] - MOONS_CENTRE[1], r[0] - MOONS_CENTRE[0]);
        const expected = (deg * Math.PI) / 180;
        const diff = Math.atan2(Math.sin(a - expected), Math.cos(a - expected));
        return Math.abs(diff) < 1e-9 && Math.abs(Math.hypot(r[2] - 0.5, r[3] - 0.25) - 1) < 1e-12;
      }),
    );
  });

  it('holds a source and a rotated target domain of n points each', () => {
    const d = twoMoonsDomains({ n: 50, angle: 90, seed: 3 });
    expect(d.n).toBe(100);
    expect(d.domainNames).toEqual(['source', 'target']);
    expect(Array.from(d.domains.subarray(0, 50)).every((v) => v === 0)).toBe(true);
    expect(Array.from(d.domains.subarray(50)).every((v) => v === 1)).toBe(true);
    const source = makeMoons({ nSamples: 50, noise: 0.1, randomState: 3 });
    expect(Array.from(d.x.subarray(0, 100))).toEqual(Array.from(Float32Array.from(source.x)));
    const target = rotatePoints(makeMoons({ nSamples: 50, noise: 0.1, randomState: 4 }).x, 90);
    expect(Array.from(d.x.subarray(100))).toEqual(Array.from(Float32Array.from(target)));
  });
});
