import { readFileSync } from 'node:fs';
import { reviveJsonNumbers } from '../../src/data/jsonNumbers.js';
import { RandomState } from '../../src/tensor/random.js';

/** Reads test/golden/<name>, decoding "Infinity"/"-Infinity"/"NaN" strings back to numbers. */
export function readGolden<T>(name: string): T {
  const text = readFileSync(new URL(`../golden/${name}`, import.meta.url), 'utf8');
  return JSON.parse(text, reviveJsonNumbers) as T;
}

export interface SampleRecipe {
  seed: number;
  size: number;
  loc: number;
  scale: number;
  decimals: number | null;
}

/** NumPy's rint (round half to even). */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Replays `np.round(RandomState(seed).standard_normal(size) * scale + loc, decimals)`. */
export function replaySample(r: SampleRecipe): Float64Array {
  const rs = new RandomState(r.seed);
  const out = new Float64Array(r.size);
  for (let i = 0; i < r.size; i++) {
    const v = rs.standardNormal() * r.scale + r.loc;
    if (r.decimals === null) out[i] = v;
    else if (r.decimals === 0) out[i] = rint(v);
    else {
      const f = 10 ** r.decimals;
      out[i] = rint(v * f) / f;
    }
  }
  return out;
}

/** |actual − expected| ≤ atol + rtol·|expected|, with a readable failure message. */
export function close(actual: number, expected: number, rtol: number, atol = 0): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
}
