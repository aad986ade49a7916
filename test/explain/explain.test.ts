import { describe, expect, it } from 'vitest';
import katex from 'katex';
import { explainCrossEntropy, explainLoss, explainSoftmax, explanationToMarkdown, explanationToText, type Explanation } from '../../src/explain/index.js';
import { lossCurves } from '../../src/figures/index.js';
import { plotCommand } from '../../src/cli/lossOptions.js';

const REGRESSION_LOSSES = ['l2', 'mse', 'l1', 'huber', 'smooth-l1', 'gaussian-nll'] as const;
const explainBce = (o: { target?: number; logit?: number; lang?: 'en' | 'zh' } = {}) =>
  explainLoss({ loss: 'bce', target: o.target, prediction: o.logit, lang: o.lang });
import { formatList, formatNumber, LANGS } from '../../src/i18n/index.js';
import { close, golden, num, nums } from '../figures/golden.js';

const CJK = /[\u4e00-\u9fff]/;

function allText(e: Explanation): string {
  return e.sections
    .flatMap((s) => s.blocks.map((b) => (b.kind === 'markdown' ? b.markdown : b.kind === 'formula' ? b.text : b.versions.map((v) => v.code).join('\n'))))
    .join('\n');
}

describe('explain loss: every quoted number is computed, and equals PyTorch / SciPy', () => {
  const example = golden.explain.example;
  for (const loss of REGRESSION_LOSSES) {
    it(`${loss}: value, gradient, density and the dropped constant`, () => {
      const e = explainLoss({ loss, target: example.target, prediction: example.prediction });
      const want = golden.explain.loss[loss];
      expect(close(e.numbers.value as number, num(want.value), 1e-12)).toBe(true);
      expect(close(e.numbers.gradient as number, num(want.gradient), 1e-12)).toBe(true);
      expect(close(e.numbers.constant as number, num(want.constant), 1e-7), `constant ${String(e.numbers.constant)} vs ${String(want.constant)}`).toBe(true);
      if (want.density !== undefined) expect(close(e.numbers.density as number, num(want.density), 1e-10)).toBe(true);
      for (const lang of LANGS) {
        const text = allText(explainLoss({ loss, lang, target: example.target, prediction: example.prediction }));
        for (const quoted of [want.value, want.gradient, want.constant]) expect(text, `${lang}: ${String(quoted)}`).toContain(formatNumber(num(quoted)));
        expect(text).toContain(formatNumber(e.numbers.nll as number));
      }
    });
  }

  it("the figure section quotes the peak of the figure's own green curve (3.989 for L2)", () => {
    const e = explainLoss({ loss: 'l2' });
    const peak = Math.max(...lossCurves({ loss: 'l2' }).rows.map((r) => r.likelihood));
    expect(e.numbers.peak).toBe(peak);
    expect(allText(e)).toContain('on this range the peak is 3.989');
    expect(allText(e)).toContain('[-5, 5]');
    expect(allText(e)).toContain('grid of 1000 points and multiplied by 1000'); // d2l: p = 100 p / p.sum(); plot 10 p
  });

  it('numbers follow the inputs (they are not typed into the text)', () => {
    const text = allText(explainLoss({ loss: 'l2', target: 1, prediction: 4 }));
    expect(text).toContain('At y = 1 and y′ = 4 it is 4.5.');
    expect(text).toContain('At y′ = 4 the gradient is 3.');
    expect(text).toContain('[-4, 6]');
    expect(text).toContain("`lossFigure({ loss: 'l2', target: 1 })` draws three curves");
    const huber = allText(explainLoss({ loss: 'huber', params: { delta: 2 }, prediction: 5 }));
    expect(huber).toContain('it is 8.'); // δ(|u| − δ/2) = 2·(5 − 1)
    expect(huber).toContain('At y′ = 5 it is 2.'); // the gradient, clipped to δ
  });

  it('L2 explains σ, the dropped constant ½ log 2π, least squares and the chain rule', () => {
    const text = allText(explainLoss({ loss: 'l2' }));
    for (const phrase of [
      'ε ~ N(0, σ²)',
      '½ log(2πσ²)',
      'least squares',
      'chain rule',
      'y′ − y',
      'Blue is the loss',
      'Orange is its gradient',
      'Green is the likelihood',
    ]) {
      expect(text).toContain(phrase);
    }
    expect(text).toContain(formatNumber(0.5 * Math.log(2 * Math.PI)));
  });

  it('names the argument for an unknown loss or a bad example', () => {
    expect(() => explainLoss({ loss: 'l5' })).toThrow(/argument 'loss' is "l5", but it must be one of l2, mse, l1, huber, smooth-l1, /);
    expect(() => explainLoss({ prediction: Infinity })).toThrow(/argument 'prediction' is Infinity, but it must be a finite number/);
    expect(() => explainLoss({ loss: 'huber', params: { delta: -1 } })).toThrow(/argument 'delta' is -1, but it must be a finite number greater than 0/);
    expect(() => explainLoss({ loss: 'l2', params: { delta: 1 } })).toThrow(/argument 'delta' is 1, but this loss has no parameters/);
  });

  it('names its figure by the library call, or by the command a surface passes (explain builds no CLI command)', () => {
    const call = allText(explainLoss({ loss: 'huber', params: { delta: 2 }, target: 1, lang: 'zh' }));
    expect(call).toContain("lossFigure({ loss: 'huber', target: 1, params: { delta: 2 }, lang: 'zh' })");
    const cli = allText(explainLoss({ loss: 'huber', params: { delta: 2 }, target: 1, figureCommand: plotCommand }));
    expect(cli).toContain('`losslab plot huber --delta 2 --target 1 --out huber.svg`');
  });
});

describe('explain softmax / cross-entropy (golden: PyTorch softmax, cross_entropy, logsumexp, autograd)', () => {
  const want = golden.explain.softmax;

  it('quotes the probabilities, temperatures, loss, logsumexp and gradient computed by the library', () => {
    const e = explainSoftmax({ logits: want.logits, target: want.target, lowTemperature: want.lowT, highTemperature: want.highT, bigLogits: want.bigLogits });
    const n = e.numbers;
    const eq = (got: unknown, expected: unknown[]) =>
      (got as number[]).forEach((g, i) => {
        expect(close(g, num(expected[i]), 1e-12, 1e-300), `${g} vs ${String(expected[i])}`).toBe(true);
      });
    eq(n.exps, want.exps);
    eq(n.probs, want.probs);
    eq(n.lowProbs, want.lowProbs);
    eq(n.highProbs, want.highProbs);
    eq(n.gradient, want.gradient);
    eq(n.stable, want.bigStable);
    expect(close(n.loss as number, num(want.loss), 1e-12)).toBe(true);
    expect(close(n.lse as number, num(want.logsumexp), 1e-12)).toBe(true);
    const text = allText(e);
    for (const list of [want.probs, want.lowProbs, want.highProbs, want.gradient, want.bigStable]) expect(text).toContain(formatList(nums(list)));
    expect(text).toContain(`it is ${formatNumber(num(want.loss))}`);
  });

  it('the max trick: exp(1000) overflows to Infinity in float64 and the naive softmax is NaN; the thresholds are quoted', () => {
    const text = allText(explainSoftmax());
    expect(text).toContain('exp(o) is [Infinity, Infinity, Infinity]');
    expect(text).toContain('gives [NaN, NaN, NaN]');
    expect(text).toContain(`above z = ${formatNumber(num(golden.overflowThresholds.float64), 5)} in float64`);
    expect(text).toContain(`z = ${formatNumber(num(golden.overflowThresholds.float32), 5)} in float32`);
    expect(text).toContain('Subtracting the maximum gives [0, -1, -2]');
  });

  it('the gradient section covers i = c and i ≠ c, with ŷ − y', () => {
    const text = allText(explainSoftmax());
    for (const phrase of ['i = c', 'i ≠ c', 'ŷ_i − y_i', 'ŷ_c − 1']) expect(text).toContain(phrase);
  });

  it('sections: softmax has construction, soft, cross-entropy, gradient, stable; cross-entropy has log-softmax; both answer the learner questions', () => {
    expect(explainSoftmax().sections.map((s) => s.id)).toEqual([
      'construction',
      'soft',
      'information',
      'cross-entropy',
      'gradient',
      'quotient-rule',
      'logits',
      'stable',
      'same-code',
    ]);
    expect(explainCrossEntropy().sections.map((s) => s.id)).toEqual([
      'information',
      'cross-entropy',
      'log-softmax',
      'gradient',
      'quotient-rule',
      'logits',
      'stable',
      'same-code',
    ]);
    expect(allText(explainCrossEntropy())).toContain(`${formatNumber(num(want.logsumexp))} − 2 = ${formatNumber(num(want.loss))}`);
  });

  it('names the argument for bad logits or class', () => {
    expect(() => explainSoftmax({ logits: [1] })).toThrow(/argument 'logits' is \[1\], but it needs at least 2 classes/);
    expect(() => explainCrossEntropy({ target: 3 })).toThrow(/argument 'target' is 3/);
  });
});

describe('explain bce (golden: PyTorch binary_cross_entropy_with_logits + autograd)', () => {
  for (const case_ of golden.explain.bce) {
    it(`y = ${case_.target}, z = ${case_.logit}: loss, probability, gradient; −log P(y | z) is the loss itself`, () => {
      const e = explainBce({ target: case_.target, logit: case_.logit });
      expect(close(e.numbers.value as number, num(case_.value), 1e-12)).toBe(true);
      expect(close(e.numbers.gradient as number, num(case_.gradient), 1e-12)).toBe(true);
      expect(close(e.numbers.probability as number, num(case_.probability), 1e-12)).toBe(true);
      expect(close(e.numbers.nll as number, num(case_.value), 1e-9)).toBe(true);
      const text = allText(e);
      for (const quoted of [case_.value, case_.gradient, case_.probability]) expect(text).toContain(formatNumber(num(quoted)));
      expect(text).toContain('p − y');
    });
  }
  it('needs a binary label for the worked example', () => {
    expect(() => explainBce({ target: 0.5 })).toThrow(/argument 'target' is 0.5, but the worked example needs a binary label, 0 or 1/);
  });
});

describe('renderings and languages', () => {
  const all = () =>
    LANGS.flatMap((lang) => [
      explainLoss({ lang }),
      ...REGRESSION_LOSSES.map((loss) => explainLoss({ loss, lang })),
      explainSoftmax({ lang }),
      explainCrossEntropy({ lang }),
      explainBce({ lang }),
    ]);

  it('every TeX formula renders with KaTeX (the web lab typesets them)', () => {
    for (const e of all()) {
      for (const s of e.sections)
        for (const b of s.blocks)
          if (b.kind === 'formula') expect(() => katex.renderToString(b.tex, { displayMode: true, throwOnError: true }), b.tex).not.toThrow();
    }
  });

  it('markdown has headings and $$ formulas; text has neither markdown code marks nor TeX', () => {
    const e = explainLoss({ loss: 'l1' });
    const md = explanationToMarkdown(e);
    expect(md.startsWith(`# ${e.title}\n`)).toBe(true);
    expect(md).toContain('## The likelihood behind it');
    expect(md).toContain("$$\np(y \\mid y') = \\tfrac{1}{2}\\exp(-|y - y'|)\n$$");
    const text = explanationToText(e);
    expect(text).not.toMatch(/[`$\\]/);
    expect(text).toContain('    p(y | y′) = ½ exp(−|y − y′|)');
    expect(text.split('\n')[1]).toMatch(/^=+$/);
  });

  it('zh texts are Chinese with the same numbers as en', () => {
    for (const [en, zh] of [
      [explainLoss(), explainLoss({ lang: 'zh' })],
      [explainSoftmax(), explainSoftmax({ lang: 'zh' })],
    ]) {
      expect(zh.title).toMatch(CJK);
      for (const s of zh.sections) expect(s.heading).toMatch(CJK);
      expect(zh.numbers).toEqual(en.numbers);
      const numbersIn = (text: string) => (text.match(/-?\d+(\.\d+)?(e-?\d+)?|Infinity|NaN/g) ?? []).sort();
      expect(numbersIn(allText(zh))).toEqual(numbersIn(allText(en)));
    }
  });
});
