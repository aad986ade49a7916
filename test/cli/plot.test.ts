import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { losslab, tempDir } from './harness.js';
import { pointwiseLosses } from '../../src/functional/losses.js';

const dir = tempDir('plot');

const run = (argv: string[]) => losslab(argv, { cwd: dir });

function csvRows(path: string): Record<string, number>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const columns = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], Number(cell)])));
}

describe('losslab plot', () => {
  it("l2 → CSV: d2l's numbers (loss(−5) = 12.5, green peak ≈ 3.99 at y′ = 0, gradient = y′)", async () => {
    const r = await run(['plot', 'l2', '--out', 'l2.csv']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`wrote ${join(dir, 'l2.csv')}\n`);
    const rows = csvRows(join(dir, 'l2.csv'));
    expect(rows).toHaveLength(1000);
    expect(rows[0]).toMatchObject({ prediction: -5, loss: 12.5, gradient: -5 });
    const peak = rows.reduce((best, row) => (row.likelihood > best.likelihood ? row : best));
    expect(peak.prediction).toBeCloseTo(0, 12);
    expect(peak.likelihood).toBeCloseTo(3.99, 2);
  });

  it("huber with --target, --delta and a range → JSON, numbers from the library's pointwise huber", async () => {
    const r = await run(['plot', 'huber', '--target', '1', '--delta', '2', '--from', '-3', '--to', '5', '--points', '80', '--out', 'h.json']);
    expect(r.status).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'h.json'), 'utf8')) as { title: string; datasets: { rows: Record<string, number>[] }[] };
    expect(json.title).toBe('Huber loss (δ = 2): l = ½u² (|u| ≤ δ), δ(|u| − ½δ) (|u| > δ), u = y − y′');
    const rows = json.datasets[0].rows;
    expect(rows).toHaveLength(80);
    for (const row of rows.filter((_, i) => i % 7 === 0)) {
      expect(row.loss).toBe(pointwiseLosses.huber.value(1, row.prediction, { delta: 2 }));
      expect(row.gradient).toBe(pointwiseLosses.huber.gradient(1, row.prediction, { delta: 2 }));
    }
  });

  it('cross-entropy --against probability → CSV: −log p, the likelihood p and the gradient −1/p on p ∈ [0.02, 1)', async () => {
    const r = await run(['plot', 'cross-entropy', '--against', 'probability', '--points', '49', '--out', 'ce-p.csv']);
    expect(r.status, r.stderr).toBe(0);
    const rows = csvRows(join(dir, 'ce-p.csv'));
    expect(rows).toHaveLength(49);
    expect(rows[0].probability).toBe(0.02);
    expect(rows[48].probability).toBeCloseTo(0.98, 12);
    for (const row of rows) {
      expect(row.loss).toBeCloseTo(-Math.log(row.probability), 12);
      expect(row.likelihood).toBe(row.probability);
      expect(row.gradient).toBeCloseTo(-1 / row.probability, 10);
    }
    const narrow = await run(['plot', 'cross-entropy', '--against', 'probability', '--from', '0.5', '--to', '1', '--points', '5', '--out', 'ce-p2.csv']);
    expect(narrow.status, narrow.stderr).toBe(0);
    expect(csvRows(join(dir, 'ce-p2.csv')).map((row) => row.probability)).toEqual([0.5, 0.6, 0.7, 0.8, 0.9]);
  });

  it('every figure renders to SVG, zh labels included', async () => {
    const cases: string[][] = [
      ['l1'],
      ['mse'],
      ['smooth-l1', '--beta', '0.5'],
      ['gaussian-nll', '--sigma', '2'],
      ['cross-entropy', '--logits', '1,-1,0.5', '--target', '2'],
      ['cross-entropy', '--against', 'probability'],
      ['bce', '--target', '0'],
      ['softmax', '--logits', '3,1,0.2', '--temperature', '0.5'],
      ['softmax', '--naive'],
    ];
    for (const [figure, ...rest] of cases) {
      const file = `${figure}-${rest.length}.svg`;
      const points = figure === 'softmax' ? [] : ['--points', '50'];
      const r = await run(['plot', figure, ...rest, ...points, '--lang', 'zh', '--out', file]);
      expect(r.stderr, figure).toBe('');
      expect(r.status).toBe(0);
      const svg = readFileSync(join(dir, file), 'utf8');
      expect(svg).toMatch(/^<svg/);
      expect(svg).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('axis titles and legend in English: x "prediction y′ (target y = 0)", y "value of each curve"', async () => {
    await run(['plot', 'l2', '--points', '20', '--out', 'axes.svg']);
    const svg = readFileSync(join(dir, 'axes.svg'), 'utf8');
    for (const label of ['prediction y′ (target y = 0)', 'value of each curve', 'loss l(y, y′)', 'likelihood exp(−l), scaled as in d2l', 'gradient ∂l/∂y′'])
      expect(svg).toContain(label);
  });

  it('PNG for --lang zh', async () => {
    const r = await run(['plot', 'l2', '--lang', 'zh', '--points', '50', '--scale', '1', '--out', 'zh.png']);
    expect(r.status).toBe(0);
    expect([...readFileSync(join(dir, 'zh.png')).subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
  });

  describe('errors name the argument and exit 2', () => {
    const cases: [string[], RegExp][] = [
      [
        ['plot', 'l3', '--out', 'x.svg'],
        /losslab plot: argument '<figure>' is "l3", but it must be one of l2, mse, l1, huber, smooth-l1, gaussian-nll, poisson-nll, cross-entropy, bce, soft-margin, softmax/,
      ],
      [['plot', 'l2', '--from', '3', '--to', '3', '--out', 'x.svg'], /argument '--to' is 3, but it must be greater than --from \(3\)/],
      [['plot', 'l2', '--from', '6', '--out', 'x.svg'], /argument '--to' is 5, but it must be greater than --from \(6\)/],
      [['plot', 'l2', '--out', 'x.gif'], /argument '--out' is ".*x\.gif", but the file name must end in \.svg, \.png, \.csv, \.json/],
      [['plot', 'l2'], /argument '--out', but it is required/],
      [['plot', 'l2', '--delta', '2', '--out', 'x.svg'], /argument '--delta' is 2, but it only applies to huber, and the figure is l2/],
      [['plot', 'huber', '--delta', '0', '--out', 'x.svg'], /argument '--delta' is 0, but it must be greater than 0/],
      [
        ['plot', 'cross-entropy', '--logits', '1,2', '--target', '5', '--out', 'x.svg'],
        /losslab plot: argument '--target' is 5, but the true class must be an integer in \[0, 1\]/,
      ],
      [['plot', 'softmax', '--logits', '1,x', '--out', 'x.svg'], /argument '--logits' is "1,x", but it must be comma-separated finite numbers/],
      [
        ['plot', 'l2', '--against', 'probability', '--out', 'x.svg'],
        /argument '--against' is "probability", but it only applies to cross-entropy, and the figure is l2/,
      ],
      [['plot', 'cross-entropy', '--against', 'loss', '--out', 'x.svg'], /argument '--against' is "loss", but it must be one of logit, probability/],
      [
        ['plot', 'cross-entropy', '--against', 'probability', '--logits', '1,2', '--out', 'x.svg'],
        /argument '--logits' is \[1, 2\], but against the probability the curves do not depend on the logits or the class/,
      ],
      [
        ['plot', 'cross-entropy', '--against', 'probability', '--from', '0', '--out', 'x.svg'],
        /argument '--from' is 0, but a probability range must start above 0/,
      ],
      [
        ['plot', 'cross-entropy', '--against', 'probability', '--to', '1.5', '--out', 'x.svg'],
        /argument '--to' is 1.5, but a probability range must end at 1 or below/,
      ],
      [['plot', 'l2', '--lang', 'fr', '--out', 'x.svg'], /argument '--lang' is "fr", but it must be one of en, zh/],
    ];
    for (const [argv, message] of cases) {
      it(argv.slice(1).join(' '), async () => {
        const r = await run(argv);
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(/^error: /);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      });
    }
    it('an unwritable path (its parent is a file)', async () => {
      expect((await run(['plot', 'l2', '--points', '10', '--out', 'file.csv'])).status).toBe(0);
      const r = await run(['plot', 'l2', '--points', '10', '--out', join('file.csv', 'x.svg')]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/argument '--out' is ".*file\.csv\/x\.svg", but the file must be writable \(E[A-Z]+\)/);
    });
    it('nothing is written when the figure fails', () => {
      expect(existsSync(join(dir, 'x.svg'))).toBe(false);
    });
  });

  it('the installed command exits 2 with the message (subprocess)', () => {
    const r = spawnSync(process.execPath, ['bin/losslab.js', 'plot', 'l2', '--from', '1', '--to', '0', '--out', join(dir, 'y.svg')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain("argument '--to' is 0, but it must be greater than --from (1)");
  });
});
