import { describe, expect, it } from 'vitest';
import { GroupShuffleSplit, StratifiedGroupShuffleSplit } from '../../src/validation/index.js';
import { RandomState } from '../../src/tensor/random.js';

/** 400 users with 1–6 rows each; a user's rows share a class; class 1 is rare (10%). */
function data(): { y: number[]; g: number[] } {
  const rs = new RandomState(5);
  const y: number[] = [];
  const g: number[] = [];
  for (let u = 0; u < 400; u++) {
    const cls = rs.randomSample() < 0.1 ? 1 : 0;
    const rows = 1 + rs.randint(0, 6);
    for (let r = 0; r < rows; r++) {
      y.push(cls);
      g.push(u);
    }
  }
  return { y, g };
}

function rareShare(test: Int32Array, y: number[]): number {
  return Array.from(test).filter((i) => y[i] === 1).length / test.length;
}

describe('StratifiedGroupShuffleSplit', () => {
  it('keeps the rare class share in every test set, closer than GroupShuffleSplit does', () => {
    const { y, g } = data();
    const n = y.length;
    const overall = y.filter((v) => v === 1).length / n;
    let worstOurs = 0;
    let worstPlain = 0;
    for (const s of new StratifiedGroupShuffleSplit({ nSplits: 20, testSize: 0.2, randomState: 1 }).split({ n }, y, g)) {
      worstOurs = Math.max(worstOurs, Math.abs(rareShare(s.test, y) - overall));
      expect(Math.abs(s.test.length - 0.2 * n)).toBeLessThanOrEqual(6);
    }
    for (const s of new GroupShuffleSplit({ nSplits: 20, testSize: 0.2, randomState: 1 }).split({ n }, y, g)) {
      worstPlain = Math.max(worstPlain, Math.abs(rareShare(s.test, y) - overall));
    }
    expect(worstOurs).toBeLessThan(0.01);
    expect(worstOurs).toBeLessThan(worstPlain);
  });

  it('is reproducible with a seed and differs between seeds', () => {
    const { y, g } = data();
    const run = (seed: number) =>
      [...new StratifiedGroupShuffleSplit({ nSplits: 2, randomState: seed }).split({ n: y.length }, y, g)].map((s) => Array.from(s.test));
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });
});
