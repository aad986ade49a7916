import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { losslab } from './harness.js';

const run = (argv: string[]) => losslab(argv);

/** softmax(z / T) written out independently of losslab. */
function reference(z: number[], T = 1): number[] {
  const e = z.map((v) => Math.exp(v / T));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

describe('losslab softmax', () => {
  it('prints the probabilities as a table', async () => {
    const r = await run(['softmax', '2', '1', '0.1']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('softmax(z) of 3 logits (float64)');
    expect(lines[1].split(/\s+/)).toEqual(['class', 'logit', 'probability']);
    const p = lines.slice(2, 5).map((l) => Number(l.trim().split(/\s+/)[2]));
    reference([2, 1, 0.1]).forEach((v, i) => {
      expect(p[i]).toBeCloseTo(v, 5);
    });
    expect(r.stderr).toBe('');
  });

  it('with --target also prints the cross-entropy and the gradient ŷ − y', async () => {
    const r = await run(['softmax', '2', '1', '0.1', '--target', '0']);
    expect(r.status).toBe(0);
    const p = reference([2, 1, 0.1]);
    const rows = r.stdout
      .split('\n')
      .slice(2, 5)
      .map((l) => l.trim().split(/\s+/).map(Number));
    rows.forEach((row, k) => {
      expect(row[3]).toBeCloseTo(p[k] - (k === 0 ? 1 : 0), 5);
    });
    const ce = /cross-entropy −log ŷ\[0\] = (\S+)/.exec(r.stdout);
    expect(Number(ce?.[1])).toBeCloseTo(-Math.log(p[0]), 5);
  });

  it('--json with --temperature and negative logits', async () => {
    const r = await run(['softmax', '-1', '2.5', '0', '--temperature', '2', '--target', '1', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { probabilities: number[]; crossEntropy: number; gradient: number[] };
    const p = reference([-1, 2.5, 0], 2);
    out.probabilities.forEach((v, k) => {
      expect(v).toBeCloseTo(p[k], 14);
    });
    expect(out.crossEntropy).toBeCloseTo(-Math.log(p[1]), 14);
    out.gradient.forEach((v, k) => {
      expect(v).toBeCloseTo(p[k] - (k === 1 ? 1 : 0), 14);
    });
  });

  it('handles -Infinity (a masked logit) and float32', async () => {
    const r = await run(['softmax', '0', '-Infinity', '0', '--dtype', 'float32', '--json']);
    expect(JSON.parse(r.stdout)).toEqual({ probabilities: [0.5, 0, 0.5] });
  });

  it.each([
    [['softmax'], "error: losslab softmax: argument '<logits>', but at least one logit is needed, e.g. losslab softmax 2 1 0.1.\n"],
    [['softmax', '2', 'abc'], 'error: losslab softmax: argument \'logit 2\' is "abc", but each logit must be a number (or Infinity, -Infinity, NaN).\n'],
    [['softmax', '2', '1', '--target', '2'], "error: losslab softmax: argument '--target' is 2, but it must be a class index in [0, 1] for 2 logits.\n"],
    [['softmax', '2', '1', '--target', '0.5'], 'error: losslab softmax: argument \'--target\' is "0.5", but it must be an integer.\n'],
    [['softmax', '2', '1', '--temperature', '0'], "error: losslab softmax: argument '--temperature' is 0, but it must be greater than 0.\n"],
    [
      ['softmax', '2', '--temp', '3'],
      "error: losslab softmax: argument '--temp', but it is not an option of 'softmax'. Did you mean --temperature? Run 'losslab softmax --help' for the list.\n",
    ],
  ])('a user mistake exits 2 with one clear message: %j', async (argv, message) => {
    const r = await run(argv);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(message);
    expect(r.stdout).toBe('');
  });

  it('runs as the real losslab command (subprocess)', () => {
    const ok = spawnSync(process.execPath, ['bin/losslab.js', 'softmax', '2', '1', '0.1', '--target', '0', '--json'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const out = JSON.parse(ok.stdout) as { crossEntropy: number };
    expect(out.crossEntropy).toBeCloseTo(-Math.log(reference([2, 1, 0.1])[0]), 12);
    const bad = spawnSync(process.execPath, ['bin/losslab.js', 'softmax', '1', '2', '--target', '5'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("error: losslab softmax: argument '--target' is 5, but it must be a class index in [0, 1] for 2 logits.\n");
    expect(bad.stderr).not.toMatch(/at .*\.js/);
  });
});
