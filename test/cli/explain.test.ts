import { describe, expect, it } from 'vitest';
import { losslab } from './harness.js';
import { pointwiseLosses } from '../../src/functional/losses.js';
import { formatNumber } from '../../src/i18n/format.js';

const run = (argv: string[]) => losslab(argv);

describe('losslab explain', () => {
  it('loss (L2 by default), text: likelihood, NLL, σ, the dropped constant, gradient, the figure', async () => {
    const r = await run(['explain', 'loss']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Where the L2 loss comes from: likelihood, negative log-likelihood and gradient');
    for (const heading of [
      'The likelihood behind it',
      'Negative log-likelihood: why minimising it is minimising the loss',
      'The gradient, by the chain rule',
      'Reading the figure',
    ]) {
      expect(r.stdout).toContain(`${heading}\n${'-'.repeat(heading.length)}`);
    }
    expect(r.stdout).toContain(`½ log 2π = ${formatNumber(0.5 * Math.log(2 * Math.PI))}`);
    expect(r.stdout).not.toContain('`');
  });

  it("--loss huber --prediction 3 --delta 0.5 quotes the library's numbers", async () => {
    const r = await run(['explain', 'loss', '--loss', 'huber', '--prediction', '3', '--delta', '0.5']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`At y = 0 and y′ = 3 it is ${formatNumber(pointwiseLosses.huber.value(0, 3, { delta: 0.5 }))}.`);
    expect(r.stdout).toContain(`At y′ = 3 it is ${formatNumber(pointwiseLosses.huber.gradient(0, 3, { delta: 0.5 }))}.`);
  });

  it('softmax --lang zh --format markdown', async () => {
    const r = await run(['explain', 'softmax', '--lang', 'zh', '--format', 'markdown']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^# Softmax：/);
    expect(r.stdout).toContain('## 减去最大值的技巧');
    expect(r.stdout).toContain('$$\n\\hat{y}_i = \\frac{\\exp(o_i)}{\\sum_j \\exp(o_j)}\n$$');
    expect(r.stdout).toContain('[NaN, NaN, NaN]');
  });

  it('loss --loss bce --prediction -1 --target 0', async () => {
    const r = await run(['explain', 'loss', '--loss', 'bce', '--prediction', '-1', '--target', '0']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`the loss is ${formatNumber(pointwiseLosses.bce.value(0, -1, {}))}`);
    expect(r.stdout).toContain(`At z = -1 the gradient is ${formatNumber(pointwiseLosses.bce.gradient(0, -1, {}))}`);
    expect(r.stdout).toContain('losslab plot bce --target 0 --out bce.svg');
  });

  it('takes a loss by name as the topic: `explain huber` is `explain loss --loss huber`, `explain bce-with-logits` is bce', async () => {
    expect((await run(['explain', 'huber', '--delta', '2'])).stdout).toBe((await run(['explain', 'loss', '--loss', 'huber', '--delta', '2'])).stdout);
    expect((await run(['explain', 'bce-with-logits'])).stdout).toBe((await run(['explain', 'loss', '--loss', 'bce'])).stdout);
    const l2 = await run(['explain', 'l2']);
    expect(l2.status).toBe(0);
    expect(l2.stdout).toBe((await run(['explain', 'loss'])).stdout);
  });

  it('cross-entropy', async () => {
    const r = await run(['explain', 'cross-entropy']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('logsumexp(o) − o_c');
    expect(r.stdout).toContain('i ≠ c');
  });

  describe('errors name the argument and exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['explain', 'entropy'], /losslab explain: argument '<topic>' is "entropy", but give one topic: loss, softmax, cross-entropy/],
      [['explain'], /argument '<topic>', but give one topic/],
      [
        ['explain', 'loss', '--loss', 'l3'],
        /argument '--loss' is "l3", but it must be one of l2, mse, l1, huber, smooth-l1, gaussian-nll, poisson-nll, bce, soft-margin, bce-with-logits/,
      ],
      [['explain', 'softmax', '--loss', 'l1'], /argument '--loss' is "l1", but it only applies to 'losslab explain loss'/],
      [['explain', 'loss', '--format', 'html'], /argument '--format' is "html", but it must be one of text, markdown/],
      [['explain', 'loss', '--prediction', 'Infinity'], /argument '--prediction' is Infinity, but it must be a finite number/],
      [['explain', 'loss', '--loss', 'bce', '--prediction', 'Infinity'], /argument '--prediction' is Infinity, but it must be a finite number/],
      [['explain', 'loss', '--loss', 'bce', '--delta', '2'], /argument '--delta' is 2, but it only applies to huber, and the loss is bce/],
      [['explain', 'l2', '--delta', '2'], /argument '--delta' is 2, but it only applies to huber, and the loss is l2/],
      [['explain', 'l2', '--loss', 'l1'], /argument '--loss' is "l1", but the topic already names the loss \(l2\)/],
    ];
    for (const [argv, message] of cases) {
      it(argv.slice(1).join(' ') || '(no topic)', async () => {
        const r = await run(argv);
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(message);
      });
    }
  });
});
