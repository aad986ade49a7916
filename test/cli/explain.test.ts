import { describe, expect, it } from 'vitest';
import type { CommandIO } from '../../src/cli/command.js';
import { runCli } from '../../src/cli/main.js';
import { pointwiseLosses } from '../../src/functional/pointwise.js';
import { formatNumber } from '../../src/i18n/format.js';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CommandIO = { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd: process.cwd(), isTTY: false };
  const code = await runCli(argv, io);
  return { code, out, err };
}

describe('losslab explain', () => {
  it('loss (L2 by default), text: likelihood, NLL, σ, the dropped constant, gradient, the figure', async () => {
    const r = await run(['explain', 'loss']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('Where the L2 loss comes from: likelihood, negative log-likelihood and gradient');
    for (const heading of [
      'The likelihood behind it',
      'Negative log-likelihood: why minimising it is minimising the loss',
      'The gradient, by the chain rule',
      'Reading the figure',
    ]) {
      expect(r.out).toContain(`${heading}\n${'-'.repeat(heading.length)}`);
    }
    expect(r.out).toContain(`½ log 2π = ${formatNumber(0.5 * Math.log(2 * Math.PI))}`);
    expect(r.out).not.toContain('`');
  });

  it("--loss huber --prediction 3 --delta 0.5 quotes the library's numbers", async () => {
    const r = await run(['explain', 'loss', '--loss', 'huber', '--prediction', '3', '--delta', '0.5']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`At y = 0 and y′ = 3 it is ${formatNumber(pointwiseLosses.huber.value(0, 3, { delta: 0.5 }))}.`);
    expect(r.out).toContain(`At y′ = 3 it is ${formatNumber(pointwiseLosses.huber.gradient(0, 3, { delta: 0.5 }))}.`);
  });

  it('softmax --lang zh --format markdown', async () => {
    const r = await run(['explain', 'softmax', '--lang', 'zh', '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# Softmax：/);
    expect(r.out).toContain('## 减去最大值的技巧');
    expect(r.out).toContain('$$\n\\hat{y}_i = \\frac{\\exp(o_i)}{\\sum_j \\exp(o_j)}\n$$');
    expect(r.out).toContain('[NaN, NaN, NaN]');
  });

  it('loss --loss bce --prediction -1 --target 0', async () => {
    const r = await run(['explain', 'loss', '--loss', 'bce', '--prediction', '-1', '--target', '0']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`the loss is ${formatNumber(pointwiseLosses.bce.value(0, -1, {}))}`);
    expect(r.out).toContain(`At z = -1 the gradient is ${formatNumber(pointwiseLosses.bce.gradient(0, -1, {}))}`);
    expect(r.out).toContain('losslab plot bce --target 0 --out bce.svg');
  });

  it('cross-entropy', async () => {
    const r = await run(['explain', 'cross-entropy']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('logsumexp(o) − o_c');
    expect(r.out).toContain('i ≠ c');
  });

  describe('errors name the argument and exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['explain', 'entropy'], /losslab explain: argument '<topic>' is "entropy", but give one topic: loss, softmax, cross-entropy/],
      [['explain'], /argument '<topic>', but give one topic/],
      [['explain', 'loss', '--loss', 'l3'], /argument '--loss' is "l3", but it must be one of l2, mse, l1, huber, smooth-l1, gaussian-nll/],
      [['explain', 'softmax', '--loss', 'l1'], /argument '--loss' is "l1", but it only applies to 'losslab explain loss'/],
      [['explain', 'loss', '--format', 'html'], /argument '--format' is "html", but it must be one of text, markdown/],
      [['explain', 'loss', '--prediction', 'Infinity'], /argument '--prediction' is Infinity, but it must be a finite number/],
      [['explain', 'loss', '--loss', 'bce', '--prediction', 'Infinity'], /argument '--prediction' is Infinity, but it must be a finite number/],
      [['explain', 'loss', '--loss', 'bce', '--delta', '2'], /argument '--delta' is 2, but it does not apply to bce/],
    ];
    for (const [argv, message] of cases) {
      it(argv.slice(1).join(' ') || '(no topic)', async () => {
        const r = await run(argv);
        expect(r.code).toBe(2);
        expect(r.err).toMatch(message);
      });
    }
  });
});
