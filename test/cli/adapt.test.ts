import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('writes each finished run to the runs file as it ends; a stopped experiment resumed with --resume trains only the missing runs and reports what an uninterrupted one does', async () => {
    const argv = ['adapt', '--dataset', csv, '--domain', 'site', '--test-domain', 'c', '--compare', 'erm,vrex', '--seeds', '2'];
    const options = ['--steps', '60', '--checkpoint-every', '20', '--mlp-width', '8', '--mlp-depth', '2', '--anneal', '20'];
    const summaryOf = (path: string) =>
      (JSON.parse(readFileSync(path, 'utf8')) as { method: string; summary: unknown; oracleSummary: unknown; runs: { testAcc: number }[] }[]).map((r) => ({
        method: r.method,
        summary: r.summary,
        oracleSummary: r.oracleSummary,
        runs: r.runs.map((x) => x.testAcc),
      }));
    // uninterrupted, with --out: every run is a line of out/runs.jsonl
    const whole = await losslab([...argv, ...options, '--json', join(dir, 'whole.json'), '--out', join(dir, 'whole')], { cwd: dir });
    expect(whole.status).toBe(0);
    const wholeLines = readFileSync(join(dir, 'whole', 'runs.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(wholeLines.map((l) => (JSON.parse(l) as { method: string; seed: number }).method)).toEqual(['erm', 'erm', 'vrex', 'vrex']);

    // stopped in VREx's first run: ERM's two runs are on disk already
    const runs = join(dir, 'runs.jsonl');
    const controller = new AbortController();
    const stopped = await losslab([...argv, ...options, '--runs', runs], {
      cwd: dir,
      signal: controller.signal,
      onStderr: (text) => {
        if (/vrex run 1\/2/.test(text)) controller.abort();
      },
    });
    expect(stopped.status).not.toBe(0);
    expect(stopped.stderr).toMatch(
      /the experiment was stopped before its runs finished \(the finished ones are in this file\)\. Run the same command with --resume/,
    );
    const kept = readFileSync(runs, 'utf8');
    expect(
      kept
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { method: string }).method),
    ).toEqual(['erm', 'erm']);

    // the same command again without --resume would mix two experiments: refused, nothing lost
    const again = await losslab([...argv, ...options, '--runs', runs], { cwd: dir });
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/argument '--runs' is ".*runs\.jsonl", but the file already holds runs of an experiment.*Add --resume/);
    expect(readFileSync(runs, 'utf8')).toBe(kept);

    // a kill while a line was being written leaves half a line: dropped on resume
    writeFileSync(runs, `${kept}{"format":"losslab-adapt-r`);
    const resumed = await losslab([...argv, ...options, '--runs', runs, '--resume', '--json', join(dir, 'resumed.json')], { cwd: dir });
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toMatch(/erm: 2 finished run\(s\) read from /);
    expect(resumed.stderr).not.toMatch(/erm run/);
    expect(resumed.stderr).toMatch(/vrex run 1\/2/);
    expect(summaryOf(join(dir, 'resumed.json'))).toEqual(summaryOf(join(dir, 'whole.json')));
    expect(readFileSync(runs, 'utf8').trim().split('\n')).toHaveLength(4);

    // the tables come from the file's records: an edited record shows (nothing was trained again)
    const lines = readFileSync(runs, 'utf8').trim().split('\n');
    const first = JSON.parse(lines[0]) as { checkpoints: { inAcc: (number | null)[] }[] };
    for (const c of first.checkpoints) c.inAcc[2] = 0.125;
    writeFileSync(runs, `${[JSON.stringify(first), ...lines.slice(1)].join('\n')}\n`);
    const reread = await losslab([...argv, ...options, '--runs', runs, '--resume', '--json', join(dir, 'reread.json')], { cwd: dir });
    expect(reread.status).toBe(0);
    expect(reread.stderr).not.toMatch(/run 1\/2/);
    expect(summaryOf(join(dir, 'reread.json'))[0].runs).toContain(0.125);

    // fewer seeds than recorded: only the runs this experiment needs are counted (and read)
    const fewer = await losslab(
      ['adapt', '--dataset', csv, '--domain', 'site', '--test-domain', 'c', '--method', 'erm', '--seeds', '1', ...options, '--runs', runs, '--resume'],
      {
        cwd: dir,
      },
    );
    expect(fewer.status).toBe(0);
    expect(fewer.stdout).toMatch(/erm: 1 finished run\(s\) read from /);

    // other settings than the recorded runs': refused, naming the setting
    const other = await losslab([...argv, '--steps', '80', ...options.slice(2), '--runs', runs, '--resume'], { cwd: dir });
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/argument '--resume' is "erm", but the runs file recorded this method with other settings \(steps: 60 in the file, 80 now\)/);
    const missing = await losslab([...argv, ...options, '--runs', join(dir, 'none.jsonl'), '--resume'], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/the runs file to resume from does not exist/);
    expect(existsSync(join(dir, 'none.jsonl'))).toBe(false);
    const nowhere = await losslab([...argv, ...options, '--resume'], { cwd: dir });
    expect(nowhere.stderr).toMatch(/argument '--resume', but it continues from a runs file: give --runs FILE or the --out folder/);
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
