import { crossEntropy } from '../functional/crossEntropy.js';
import { pointwiseLosses } from '../functional/losses.js';
import { softmax } from '../functional/softmax.js';
import { crossEntropyPoint } from '../figures/classification.js';
import { formatList } from '../i18n/format.js';
import { checkLang, type Lang } from '../i18n/lang.js';
import { t } from '../i18n/translate.js';
import { tensor } from '../tensor/tensor.js';
import { mistakenLossFloor, probabilitiesAsLogits, trainLogits } from './logitsMistake.js';
import { crossEntropyFigureCall, type CrossEntropyFigureCommand, formatPrinted } from './questionSections.js';
import { LEARNER_QUESTIONS, type QuestionId } from './questions.js';
import { DEFAULT_BATCH, dataNumbers, halfNumbers } from './regressionQuestions.js';
import { displayWidth } from './render.js';
import { SNIPPETS, snippetOutputs } from './snippets.js';
import { informationNumbers, quotientRuleNumbers } from './softmaxQuestions.js';

export interface TourOptions {
  readonly lang?: Lang;
  /** How to name cross-entropy's figures (the command line passes its `losslab plot cross-entropy …`); by default the library call. */
  readonly crossEntropyFigureCommand?: CrossEntropyFigureCommand;
}

/** Four decimals, as a terminal table prints them (non-finite values by name). */
const fmt = (v: number, digits = 4): string => (Number.isFinite(v) ? v.toFixed(digits) : String(v));
const row = (values: ArrayLike<number>, digits = 4): string => Array.from(values, (v) => fmt(v, digits)).join('  ');

/** `label` padded to `width` terminal columns (a CJK character takes two). */
function pad(label: string, width: number): string {
  return label + ' '.repeat(Math.max(1, width - displayWidth(label)));
}

/**
 * The text of `losslab tour`: softmax, cross-entropy and its gradient, the max trick and the L2
 * likelihood, then one short answer to each learner question (questions.ts) — every number computed
 * by the library as it prints, every word from the catalogue of `lang`. The command line adds where
 * to go next.
 */
export function tourText(options: TourOptions = {}): string {
  const lang = checkLang(options.lang, 'tourText');
  const command = options.crossEntropyFigureCommand ?? crossEntropyFigureCall;
  const out: string[] = [t(lang, 'tour.intro'), ''];
  const label = (text: string): string => `   ${pad(text, 16)}`;

  // 1. Softmax, cross-entropy and the gradient softmax(z) − y.
  const classLogits = [2, 1, 0.1];
  const c = 0;
  const logits = tensor([classLogits], { dtype: 'float64', requiresGrad: true });
  const p = softmax(logits.detach());
  const loss = crossEntropy(logits, tensor([c], { dtype: 'int32' }));
  loss.backward();
  const gradient = Array.from(logits.grad?.data ?? []);
  out.push(`1. ${t(lang, 'tour.softmax.title')}`);
  out.push(`${label(t(lang, 'tour.softmax.logits'))}${row(logits.data)}`);
  out.push(`${label(t(lang, 'tour.softmax.probabilities'))}${row(p.data)}   ${t(lang, 'tour.softmax.sum', { sum: fmt(p.data.reduce((a, b) => a + b, 0)) })}`);
  out.push(
    `${label(t(lang, 'tour.softmax.crossEntropy'))}${fmt(loss.item())} ${t(lang, 'tour.softmax.lossNote', { sub: String.fromCharCode(0x2080 + c), c })}`,
  );
  out.push(`${label(t(lang, 'tour.softmax.gradient'))}${row(gradient)} ${t(lang, 'tour.softmax.gradientNote', { c })}`, '');

  // 2. The max-subtraction trick.
  const big = [1000, 999, 998];
  const zmax = Math.max(...big);
  const naive = big.map((v) => Math.exp(v));
  const naiveSum = naive.reduce((a, b) => a + b, 0);
  const stable = softmax(tensor([big], { dtype: 'float64' }));
  out.push(`2. ${t(lang, 'tour.stable.title')}`);
  out.push(`${label(t(lang, 'tour.stable.logits'))}${big.join('  ')}`);
  out.push(
    `${label(t(lang, 'tour.stable.naive'))}${naive.map((v) => fmt(v / naiveSum)).join('  ')}   ${t(lang, 'tour.stable.naiveNote', { zmax, expmax: String(Math.exp(zmax)) })}`,
  );
  out.push(`${label(t(lang, 'tour.stable.stable'))}${row(stable.data)}   ${t(lang, 'tour.stable.stableNote', { one: 1 })}`, '');

  // 3. A loss is a negative log-likelihood.
  const l2 = pointwiseLosses.l2;
  const y = l2.target.default;
  out.push(`3. ${t(lang, 'tour.l2.title', { sigma: 1 })}`);
  out.push(`   ${t(lang, 'tour.l2.header', { target: y })}`);
  for (const yHat of [-2, -1, 0, 1, 2]) {
    out.push(
      `   ${fmt(yHat, 1).padStart(4)}   ${fmt(l2.value(y, yHat, {})).padStart(6)}   ${fmt(l2.gradient(y, yHat, {})).padStart(7)}   ${fmt(l2.density(y, yHat, {}))}`,
    );
  }
  out.push('', t(lang, 'tour.questions'), '');

  // 4–10: the learner questions, in the order of LEARNER_QUESTIONS.
  const answers = questionAnswers(lang, command, classLogits, c, gradient, loss.item());
  for (const [i, question] of LEARNER_QUESTIONS.entries()) {
    const [first, ...rest] = answers[question.id];
    out.push(`${i + 4}. ${first}`, ...rest.map((line) => `   ${line}`), '');
  }
  return `${out.join('\n')}\n`;
}

function questionAnswers(
  lang: Lang,
  command: CrossEntropyFigureCommand,
  logits: readonly number[],
  c: number,
  gradient: readonly number[],
  loss: number,
): Record<QuestionId, string[]> {
  // 1. Cross-entropy's curves at a few true-class logits (other logits 0, as its figure).
  const others = [0, 0];
  const points = [-2, 0, 2].map((z) => crossEntropyPoint(z));
  const cell = (v: number): string => fmt(v).padStart(9);
  const whichLoss = [
    t(lang, 'tour.question.which-loss', { others: formatList(others) }),
    `${'z_c'.padStart(9)}${'p'.padStart(9)}${'−log p'.padStart(9)}${'∂l/∂z_c'.padStart(9)}${'∂l/∂p'.padStart(9)}`,
    ...points.map((q) => `${cell(q.logit)}${cell(q.probability)}${cell(q.loss)}${cell(q.gradientLogit)}${cell(q.gradientProbability)}`),
    t(lang, 'tour.whichLoss.commands', { logitCommand: command('logit', lang), probabilityCommand: command('probability', lang) }),
  ];

  // 2. Why ½, at L2's worked example.
  const l2 = pointwiseLosses.l2;
  const target = l2.target.default;
  const prediction = l2.example;
  const half = halfNumbers(target, prediction);

  // 3. The data: a small batch of independent targets.
  const data = dataNumbers(l2, {}, DEFAULT_BATCH, 'tourText');

  // 4. The quotient rule: the softmax Jacobian, row c and the chain rule.
  const quotient = quotientRuleNumbers(logits, c);

  // 5. Self-information and entropy.
  const information = informationNumbers(logits, c);

  // 6. Probabilities passed by mistake, and a few SGD steps both ways.
  const mistake = probabilitiesAsLogits(quotient.probs, c);
  const training = trainLogits(logits, c);

  // 7. The same code: softmax of one vector in the three libraries.
  const vectorSnippet = SNIPPETS[0];
  const body = (lines: readonly string[]): string[] => lines.filter((line) => line !== '' && !/^(import|from) /.test(line));

  return {
    'which-loss': whichLoss,
    half: [t(lang, 'tour.question.half', { target, prediction, gradient: half.gradient, gradientNoHalf: half.gradientNoHalf })],
    data: [
      t(lang, 'tour.question.data', {
        targets: formatList(data.targets),
        predictions: formatList(data.predictions),
        product: data.product,
        sumLogs: data.sumLogs,
        meanNll: data.meanNll,
        meanLoss: data.meanLoss,
        constant: data.constant,
      }),
    ],
    'quotient-rule': [
      t(lang, 'tour.question.quotient-rule', { logits: formatList(logits) }),
      ...quotient.jacobian.map((r) => `   ${r.map((v) => fmt(v).padStart(8)).join('')}`),
      t(lang, 'tour.quotient.combine', { target: c, viaQuotient: formatList(quotient.viaQuotient), viaLogSumExp: formatList(quotient.viaLogSumExp) }),
    ],
    information: [
      t(lang, 'tour.question.information', {
        information: formatList(information.information),
        probs: formatList(information.probs),
        entropy: information.entropy,
        uniform: information.uniform,
        target: c,
        crossEntropy: information.crossEntropy,
      }),
    ],
    logits: [
      t(lang, 'tour.question.logits', {
        mistakenLoss: mistake.loss,
        loss,
        mistakenGradient: formatList(mistake.gradLogits),
        gradient: formatList(gradient),
        floor: mistakenLossFloor(logits.length, c),
      }),
      t(lang, 'tour.logits.training', {
        target: c,
        steps: formatList(training.steps),
        lr: training.lr,
        right: formatList(training.right),
        mistaken: formatList(training.mistaken),
      }),
    ],
    'same-code': [
      t(lang, 'tour.question.same-code', { output: snippetOutputs(vectorSnippet.id).map(formatPrinted).join(' · ') }),
      ...(['numpy', 'pytorch', 'losslab'] as const).flatMap((library) => [
        `${{ numpy: 'NumPy', pytorch: 'PyTorch', losslab: 'losslab' }[library]}:`,
        ...body(vectorSnippet[library]).map((line) => `   ${line}`),
      ]),
    ],
  };
}
