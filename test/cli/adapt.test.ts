import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RandomState } from '../../src/tensor/random.js';
import { losslab, tempDir } from './harness.js';

/**
 * A CSV with a spurious feature: `shape` predicts the label at about 80% in every domain, `colour`
 * agrees with the label 90% / 80% of the time in the training domains a and b and only 10% in the
 * test domain c (the correlation flips), as in Colored MNIST.
 */
function spuriousCsv(path: string, n = 1500): void {
  const rs = new RandomState(7);
  const lines = ['shape,colour,site,label'];
  for (const [site, agree] of [
    ['a', 0.9],
    ['b', 0.8],
    ['c', 0.1],
  ] as const) {
    for (let i = 0; i < n; i++) {
      const y = rs.randomSample() < 0.5 ? 1 : 0;
      const shape = 2 * y - 1 + rs.normal(0, 1.2);
      const c = rs.randomSample() < agree ? y : 1 - y;
      const colour = 2 * c - 1 + rs.normal(0, 0.2);
      lines.push(`${shape.toFixed(4)},${colour.toFixed(4)},${site},${y}`);
    }
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('losslab adapt', () => {
  const dir = tempDir('adapt');
  const csv = join(dir, 'spurious.csv');
  spuriousCsv(csv);

  it('on a CSV whose spurious feature flips in the test domain: ERM falls below chance there, IRM recovers; --json and --out', async () => {
    // the last checkpoint (the oracle rule with one hyperparameter setting): training-domain validation
    // picks early checkpoints on this data, as DomainBed finds on Colored MNIST (docs/adapt.md)
    const argv = ['adapt', '--dataset', csv, '--domain', 'site', '--test-domain', 'c', '--compare', 'erm,irm', '--seeds', '2', '--steps', '1500'];
    const options = ['--mlp-width', '16', '--mlp-depth', '3', '--penalty-weight', '1000', '--anneal', '200', '--select', 'oracle'];
    const r = await losslab([...argv, ...options, '--out', join(dir, 'out'), '--json', join(dir, 'r.json')], { cwd: dir });
    expect(r.stderr).toMatch(/erm run 1\/2 \[/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/model chosen by: test-domain validation set \(oracle\)/);
    expect(r.stdout).toMatch(/^method\s+c\s+Avg$/m);
    const doc = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as {
      method: string;
      testDomains: string[];
      summary: Record<string, { mean: number; sd: number }>;
      runs: unknown[];
    }[];
    const [erm, irm] = doc;
    expect(erm.method).toBe('erm');
    expect(erm.testDomains).toEqual(['c']);
    expect(erm.summary.c.mean).toBeLessThan(0.5);
    expect(irm.summary.c.mean).toBeGreaterThan(0.65);
    expect(readFileSync(join(dir, 'out', 'table.md'), 'utf8')).toMatch(/\| ERM +\| /);
    expect(readFileSync(join(dir, 'out', 'curves.csv'), 'utf8')).toMatch(/^method,test_domain,seed,step,domain,split,accuracy\nerm,c,0,0,a,in,/);
    // the learned features' UMAP before and after training, per method: points coloured by domain and role
    for (const method of ['erm', 'irm']) {
      const read = (when: string) =>
        readFileSync(join(dir, 'out', `embedding-${method}-${when}.csv`), 'utf8')
          .trim()
          .split('\n');
      const [before, after] = [read('before'), read('after')];
      expect(before[0]).toBe('x,y,domain,label');
      expect(after.length).toBe(before.length);
      expect(before.length).toBeGreaterThan(50);
      const domains = new Set(after.slice(1).map((line) => line.split(',')[2]));
      expect(domains).toEqual(new Set(['"a (train)"', '"b (train)"', '"c (test)"']));
      for (const line of after.slice(1))
        expect(
          line
            .split(',')
            .slice(0, 2)
            .every((v) => Number.isFinite(Number(v))),
        ).toBe(true);
      expect(after.slice(1).map((l) => l.split(',').slice(0, 2).join())).not.toEqual(before.slice(1).map((l) => l.split(',').slice(0, 2).join()));
      for (const when of ['before', 'after']) {
        const png = readFileSync(join(dir, 'out', `embedding-${method}-${when}.png`));
        expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      }
    }
  }, 240_000);

  it('labels the oracle as such, and names the rule it broke for a bad domain or method', async () => {
    const ok = await losslab(
      ['adapt', '--dataset', csv, '--domain', 'site', '--test-domain', 'c', '--seeds', '1', '--steps', '20', '--checkpoint-every', '10', '--select', 'oracle'],
      { cwd: dir },
    );
    expect(ok.stderr).not.toMatch(/error/);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/model chosen by: test-domain validation set \(oracle\)/);
    const bad = await losslab(['adapt', '--dataset', csv, '--domain', 'site', '--test-domain', 'z'], { cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/argument '--test-domain' is "z", but it must name a domain of the data \("a", "b", "c"\)/);
    const method = await losslab(['adapt', '--dataset', csv, '--domain', 'site', '--compare', 'erm,magic'], { cwd: dir });
    expect(method.stderr).toMatch(/argument '--compare' is "magic", but methods are erm, irm, vrex, groupdro, mixup, mldg, coral, mmd, dann/);
  });
});
