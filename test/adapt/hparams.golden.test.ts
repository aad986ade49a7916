import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALGORITHM_TITLES, type AlgorithmName, defaultHparams, hparamSpecs, randomHparams, resolveHparams } from '../../src/adapt/hparams.js';
import { seedHash } from '../../src/adapt/md5.js';
import { beta } from '../../src/adapt/sampling.js';
import { RandomState } from '../../src/tensor/random.js';

const golden = JSON.parse(readFileSync(new URL('../golden/domainbed.json', import.meta.url), 'utf8')) as {
  betas: { seed: number; a: number; b: number; values: number[] }[];
  registry: { algorithm: string; seed: number | null; hparams: Record<string, number | boolean> }[];
};

const byTitle = new Map(Object.entries(ALGORITHM_TITLES).map(([k, v]) => [v, k as AlgorithmName]));

describe('DomainBed’s hparams_registry (default_hparams / random_hparams for RotatedMNIST) and NumPy’s legacy beta', () => {
  it('defaults and random draws equal DomainBed’s for every algorithm and seed', () => {
    expect(golden.registry.length).toBeGreaterThan(30);
    for (const r of golden.registry) {
      const algorithm = byTitle.get(r.algorithm);
      if (!algorithm) throw new Error(`no losslab algorithm for ${r.algorithm}`);
      const ours = r.seed === null ? defaultHparams(algorithm) : randomHparams(algorithm, r.seed);
      for (const s of hparamSpecs(algorithm)) {
        if (s.losslab) continue;
        const want = r.hparams[s.domainbedName];
        expect(want, `${r.algorithm} ${s.domainbedName}`).toBeDefined();
        if (typeof want === 'number') expect(ours[s.name] as number).toBeCloseTo(want, 12);
        else expect(ours[s.name]).toBe(want);
      }
    }
  });

  it('seedHash is DomainBed’s misc.seed_hash (md5 of the arguments’ tuple, mod 2³¹)', () => {
    // int(hashlib.md5(str((0, 'lr')).encode()).hexdigest(), 16) % 2**31, computed by /usr/bin/python3
    expect(seedHash(0, 'lr')).toBe(1017368932);
    expect(seedHash(3, 'irm_lambda')).toBe(1522554561);
  });

  it('beta(a, b) draws NumPy’s RandomState(seed).beta(a, b) sequence bit for bit (Johnk and gamma branches)', () => {
    for (const g of golden.betas) {
      const r = new RandomState(g.seed);
      const got = g.values.map(() => beta(r, g.a, g.b));
      got.forEach((v, i) => {
        expect(Math.abs(v - g.values[i])).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(g.values[i])));
      });
    }
    expect(() => beta(new RandomState(0), 0, 1)).toThrow(/argument 'a' is 0/);
  });

  it('resolveHparams checks names and types', () => {
    expect(resolveHparams('irm', { irmLambda: 5 }).irmLambda).toBe(5);
    expect(() => resolveHparams('irm', { mixupAlpha: 1 })).toThrow(/IRM has no such hyperparameter/);
    expect(() => resolveHparams('irm', { irmLambda: 'big' })).toThrow(/it must be a number/);
    expect(() => resolveHparams('irm', { irmLambda: Number.NaN })).toThrow(/it must be finite/);
  });
});
