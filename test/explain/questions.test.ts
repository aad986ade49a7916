import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  explainCrossEntropy,
  explainLoss,
  explainSoftmax,
  explanationToText,
  LEARNER_QUESTIONS,
  type ExplainSection,
  type Explanation,
} from '../../src/explain/index.js';
import { en, formatList, formatNumber, LANGS, t, zh, type Lang, type MessageKey } from '../../src/i18n/index.js';
import { losslab } from '../cli/harness.js';
import { num, nums } from '../figures/golden.js';

/**
 * The questions a learner asks (src/explain/questions.ts) held against the catalogues, the command
 * line and the numbers: each question has its section in both languages in every `losslab explain`
 * topic it lists, a line in `losslab tour`, no number of its own in any template, and numbers that
 * follow the input and equal PyTorch / SciPy (test/golden/questions.json, scripts/golden_questions.py)
 * for two different inputs each. The lab pages are held to the same list in test/web/lab.test.ts.
 */
const golden = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'golden', 'questions.json'), 'utf8'));

function explanationOf(topic: string, lang: Lang): Explanation {
  if (topic === 'softmax') return explainSoftmax({ lang });
  if (topic === 'cross-entropy') return explainCrossEntropy({ lang });
  return explainLoss({ loss: topic, lang });
}

function sectionOf(e: Explanation, id: string): ExplainSection {
  const section = e.sections.find((s) => s.id === id);
  if (!section) throw new Error(`${e.topic} (${e.lang}) has no section '${id}'`);
  return section;
}

/** A section's prose and formulas, as one string. */
function textOf(section: ExplainSection): string {
  return section.blocks.map((b) => (b.kind === 'markdown' ? b.markdown : b.kind === 'formula' ? b.text : b.versions.map((v) => v.code).join('\n'))).join('\n');
}

/** The catalogue keys of the questions' texts (sections, snippet captions, the tour's answers). */
const QUESTION_KEYS = (Object.keys(en) as MessageKey[]).filter((k) =>
  /^(explain\.question\.|explain\.snippet\.|tour\.question\.|tour\.quotient\.|tour\.logits\.|tour\.whichLoss\.)/.test(k),
);

const close = (a: number, b: number, rtol = 1e-12): boolean => Math.abs(a - b) <= rtol * Math.max(1, Math.abs(b));

describe('learner questions: the list against the catalogues and the command line', () => {
  it('lists the seven questions of issue #19, each with a page and at least one topic', () => {
    expect(LEARNER_QUESTIONS.map((q) => q.id)).toEqual(['which-loss', 'half', 'data', 'quotient-rule', 'information', 'logits', 'same-code']);
    for (const q of LEARNER_QUESTIONS) expect(q.topics.length, q.id).toBeGreaterThan(0);
    expect(LEARNER_QUESTIONS.filter((q) => q.page === 'loss').map((q) => q.id)).toEqual(['which-loss', 'half', 'data']);
  });

  it('each question has its section, headed by its catalogue heading, in every topic it lists, in both languages', () => {
    for (const q of LEARNER_QUESTIONS) {
      for (const lang of LANGS) {
        for (const topic of q.topics) {
          const section = sectionOf(explanationOf(topic, lang), q.id);
          expect(section.heading).toBe(t(lang, `explain.question.${q.id}.heading`));
          expect(textOf(section).length, `${q.id} in ${topic} (${lang})`).toBeGreaterThan(100);
          if (lang === 'zh') expect(textOf(section), `${q.id} in ${topic}`).toMatch(/[\u4e00-\u9fff]/);
        }
      }
    }
  });

  it('only the losses a question applies to get its section (½ is L2’s; BCE is no regression figure)', () => {
    expect(explainLoss({ loss: 'mse' }).sections.map((s) => s.id)).not.toContain('half');
    expect(explainLoss({ loss: 'bce' }).sections.map((s) => s.id)).not.toContain('which-loss');
    expect(explainLoss({ loss: 'l2' }).sections.map((s) => s.id)).toEqual(['loss', 'which-loss', 'likelihood', 'data', 'nll', 'gradient', 'half', 'figure']);
  });

  it('the command line prints each section: losslab explain <topic> --lang <lang> shows the text the library wrote', async () => {
    for (const lang of LANGS) {
      const printed = new Map<string, string>();
      for (const topic of new Set(LEARNER_QUESTIONS.flatMap((q) => q.topics))) {
        const r = await losslab(['explain', topic, '--lang', lang]);
        expect(r.status, r.stderr).toBe(0);
        printed.set(topic, r.stdout);
      }
      for (const q of LEARNER_QUESTIONS) {
        for (const topic of q.topics) {
          const stdout = printed.get(topic) ?? '';
          const section = sectionOf(explanationOf(topic, lang), q.id);
          expect(stdout, `${q.id} in explain ${topic} --lang ${lang}`).toContain(`${section.heading}\n`);
          const paragraph = section.blocks.find((b) => b.kind === 'markdown');
          // The command line names cross-entropy's figures by its own commands; the rest is the library's text.
          if (paragraph?.kind === 'markdown' && q.id !== 'which-loss') expect(stdout).toContain(paragraph.markdown.replace(/`([^`]*)`/g, '$1'));
        }
      }
    }
  });

  it('losslab tour --lang <lang> answers every question, in its order, from the catalogue', async () => {
    for (const lang of LANGS) {
      const r = await losslab(['tour', '--lang', lang]);
      expect(r.status).toBe(0);
      let at = 0;
      for (const [i, q] of LEARNER_QUESTIONS.entries()) {
        const template = (lang === 'en' ? en : zh)[`tour.question.${q.id}`];
        const prefix = template.slice(0, template.indexOf('{') < 0 ? undefined : template.indexOf('{'));
        const found = r.stdout.indexOf(`${i + 4}. ${prefix}`, at);
        expect(found, `tour --lang ${lang}: ${q.id}`).toBeGreaterThan(at);
        at = found;
      }
    }
  });

  it('no question template quotes a number of its own: every number in the text is a placeholder the library fills', () => {
    expect(QUESTION_KEYS.length).toBeGreaterThan(20);
    for (const catalogue of [en, zh]) {
      for (const key of QUESTION_KEYS) {
        const literal = catalogue[key].replace(/\{[A-Za-z0-9_]+\}/g, '').match(/\d+(?:\.\d+)?/g) ?? [];
        // Only the constants of the formulas may appear: 0, 1 and 2 (as in [0, 1], σ = 1, log 2, "a factor 2").
        for (const number of literal) expect(['0', '1', '2'], `${key}: ${number}`).toContain(number);
      }
    }
  });
});

describe('learner questions: the numbers follow the input and equal PyTorch / SciPy (two inputs each)', () => {
  it('1. which loss: cross-entropy at y′ as the true-class logit (p, −log p, p − 1, −1/p)', () => {
    for (const g of golden.whichLoss) {
      const e = explainLoss({ loss: 'l2', prediction: g.logit });
      const n = e.numbers;
      expect(close(n.ceProbability as number, num(g.probability))).toBe(true);
      expect(close(n.ceLoss as number, num(g.loss))).toBe(true);
      expect(close(n.ceGradLogit as number, num(g.gradientLogit))).toBe(true);
      expect(close(n.ceGradProbability as number, num(g.gradientProbability))).toBe(true);
      for (const lang of LANGS) {
        const text = textOf(sectionOf(explainLoss({ loss: 'l2', prediction: g.logit, lang }), 'which-loss'));
        for (const v of [g.probability, g.loss, g.gradientLogit, g.gradientProbability]) expect(text, `${lang} ${String(v)}`).toContain(formatNumber(num(v)));
        expect(text).toContain("crossEntropyFigure({ against: 'probability'");
      }
    }
  });

  it('2. why ½: the L2 gradient with and without it', async () => {
    for (const g of golden.half) {
      const e = explainLoss({ loss: 'l2', target: g.target, prediction: g.prediction });
      expect(e.numbers.gradient).toBe(num(g.gradient));
      expect(e.numbers.gradientNoHalf).toBe(num(g.gradientNoHalf));
      expect(e.numbers.valueNoHalf).toBe(num(g.valueNoHalf));
      const text = textOf(sectionOf(e, 'half'));
      expect(text).toContain(`the loss is ${formatNumber(num(g.value))} and the gradient ${formatNumber(num(g.gradient))}`);
      expect(text).toContain(`the loss is ${formatNumber(num(g.valueNoHalf))} and the gradient ${formatNumber(num(g.gradientNoHalf))}`);
      const cli = await losslab(['explain', 'l2', '--target', String(g.target), '--prediction', String(g.prediction), '--lang', 'zh']);
      expect(cli.stdout).toContain(
        `没有 ½ 时，l = (y − y′)²（PyTorch 的逐元素 nn.MSELoss），损失为 ${formatNumber(num(g.valueNoHalf))}，梯度为 ${formatNumber(num(g.gradientNoHalf))}`,
      );
    }
  });

  it('3. the data: densities, their product, the sum of logs, the mean loss and the mean NLL of a batch', () => {
    for (const g of golden.data) {
      const e = explainLoss({ loss: 'l2', batch: { targets: g.targets, predictions: g.predictions } });
      const n = e.numbers;
      (n.batchDensities as number[]).forEach((d, i) => {
        expect(close(d, num(g.densities[i]), 1e-13)).toBe(true);
      });
      expect(close(n.batchProduct as number, num(g.product), 1e-12)).toBe(true);
      expect(close(n.batchSumLogs as number, num(g.sumLogs), 1e-12)).toBe(true);
      expect(close(n.batchLogProduct as number, num(g.sumLogs), 1e-12)).toBe(true);
      expect(close(n.batchMeanLoss as number, num(g.meanLoss))).toBe(true);
      expect(close(n.batchMeanNll as number, num(g.meanNll), 1e-12)).toBe(true);
      expect(close(n.batchConstant as number, num(g.constant), 1e-12)).toBe(true);
      const text = textOf(sectionOf(e, 'data'));
      expect(text).toContain(`N = ${g.targets.length} with targets y = ${formatList(g.targets)} and predictions y′ = ${formatList(g.predictions)}`);
      expect(text).toContain(`their product, P(data | y′), is ${formatNumber(num(g.product))}`);
      expect(text).toContain(`= ${formatNumber(num(g.meanNll))} = the mean loss ${formatNumber(num(g.meanLoss))} + ${formatNumber(num(g.constant))}`);
    }
  });

  for (const g of golden.softmax) {
    const options = { logits: g.logits, target: g.target, learningRate: g.lr, trainingSteps: g.steps };
    const e = explainSoftmax(options);
    const n = e.numbers;
    const eq = (got: unknown, want: unknown[], rtol = 1e-12) => {
      const values = (got as number[]).flat();
      const expected = nums(want.flat());
      expect(values.length).toBe(expected.length);
      values.forEach((v, i) => {
        expect(close(v, expected[i], rtol), `${v} vs ${expected[i]}`).toBe(true);
      });
    };

    it(`4. the quotient rule for z = ${JSON.stringify(g.logits)}: the Jacobian diag(ŷ) − ŷŷᵀ, row c × (−1/ŷ_c) = ŷ − y`, () => {
      eq(n.jacobian, g.jacobian);
      eq(n.viaQuotient, g.viaQuotient);
      eq(n.gradient, g.gradient);
      const text = explanationToText({ ...e, sections: [sectionOf(e, 'quotient-rule')] });
      expect(text).toContain(`For ŷ = ${formatList(nums(g.probs))} it is`);
      expect(text).toContain(`J = [${formatList(nums(g.jacobian[0]))},`);
      expect(text).toContain(`The two cases together are ŷ_i − y_i with the one-hot y: ${formatList(nums(g.viaQuotient))}.`);
      expect(text).toContain(`cross-entropy backward pass: ${formatList(nums(g.gradient))}.`);
    });

    it(`5. self-information and entropy for z = ${JSON.stringify(g.logits)}`, () => {
      eq(n.information, g.information);
      eq(n.informationBits, g.informationBits);
      expect(close(n.entropy as number, num(g.entropy))).toBe(true);
      expect(close(n.uniformEntropy as number, num(g.uniform))).toBe(true);
      const text = textOf(sectionOf(e, 'information'));
      expect(text).toContain(`the information of each class is ${formatList(nums(g.information))} nats (${formatList(nums(g.informationBits))} bits)`);
      expect(text).toContain(
        `for ŷ it is ${formatNumber(num(g.entropy))} nats, below the largest possible over ${g.logits.length} classes, the uniform distribution's log C = ${formatNumber(num(g.uniform))}`,
      );
      expect(text).toContain(`a fair coin flip log 2 = ${formatNumber(num(g.coin))} nats`);
      expect(text).toContain(`= ${formatNumber(num(g.crossEntropy))}, the loss below`);
    });

    it(`6. probabilities passed by mistake for z = ${JSON.stringify(g.logits)}: loss, gradient, floor and SGD run both ways`, () => {
      expect(close(n.mistakenLoss as number, num(g.mistakenLoss))).toBe(true);
      eq(n.mistakenGradient, g.mistakenGradient);
      expect(close(n.mistakenFloor as number, num(g.floor))).toBe(true);
      eq(n.trainedRight, g.trainedRight, 1e-10);
      eq(n.trainedMistaken, g.trainedMistaken, 1e-10);
      expect(close(n.trainedRightLoss as number, num(g.trainedRightLoss), 1e-9)).toBe(true);
      expect(close(n.trainedMistakenLoss as number, num(g.trainedMistakenLoss), 1e-9)).toBe(true);
      const text = textOf(sectionOf(e, 'logits'));
      expect(text).toContain(`it computes −log softmax(ŷ)_c = ${formatNumber(num(g.mistakenLoss))}`);
      expect(text).toContain(`through both softmaxes is ${formatList(nums(g.mistakenGradient))}`);
      expect(text).toContain(`= ${formatNumber(num(g.floor))} for C = ${g.logits.length}`);
      expect(text).toContain(
        `after ${formatList(g.steps)} steps is ${formatList(nums(g.trainedRight))} the right way and ${formatList(nums(g.trainedMistaken))} with probabilities passed by mistake`,
      );
    });
  }

  it('a loss that refuses the default batch gets one of its own (Poisson NLL: counts from its default target)', () => {
    const e = explainLoss({ loss: 'poisson-nll' });
    expect(textOf(sectionOf(e, 'data'))).toContain('targets y = [3, 4, 5] and predictions y′ = [2, 3, 1.5]');
    expect(Number.isFinite(e.numbers.batchMeanNll as number)).toBe(true);
    expect(() => explainLoss({ loss: 'poisson-nll', batch: { targets: [1, -1], predictions: [0, 0] } })).toThrow(/argument 'target' is -1/);
    expect(() => explainLoss({ loss: 'l2', batch: { targets: [1, 2], predictions: [0] } })).toThrow(/argument 'batch' is 2 targets and 1 predictions/);
  });

  it('the softmax and cross-entropy topics quote the same question numbers', () => {
    const a = explainSoftmax({ logits: [0.5, -1, 3, 0.2], target: 2 });
    const b = explainCrossEntropy({ logits: [0.5, -1, 3, 0.2], target: 2 });
    for (const id of ['information', 'quotient-rule', 'logits', 'same-code']) expect(textOf(sectionOf(b, id))).toBe(textOf(sectionOf(a, id)));
  });
});
