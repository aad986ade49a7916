import type { Lang } from '../i18n/lang.js';
import { formatList, formatNumber } from '../i18n/format.js';
import { t } from '../i18n/translate.js';
import type { CrossEntropyAxis, CrossEntropyPoint } from '../figures/classification.js';
import type { InformationNumbers, QuotientRuleNumbers } from './softmaxQuestions.js';
import type { MistakenCrossEntropy, TrainingSteps } from './logitsMistake.js';
import type { DataNumbers, HalfNumbers } from './regressionQuestions.js';
import { SNIPPETS, snippetCode, snippetOutputs, type SnippetId } from './snippets.js';
import { questionHeading, type QuestionId } from './questions.js';
import { code, formula, paragraph, type ExplainBlock, type ExplainNumber, type ExplainSection } from './types.js';
import { QUESTION_FORMULAS } from './formulas.js';

/**
 * The sections that answer the learner questions (src/explain/questions.ts), from the catalogue
 * (`explain.question.<id>.*`) filled with numbers the library computed (regressionQuestions.ts,
 * softmaxQuestions.ts, logitsMistake.ts, snippets.ts). Each section's id is its question's id.
 */

function section(lang: Lang, id: QuestionId, blocks: readonly ExplainBlock[]): ExplainSection {
  return { id, heading: t(lang, questionHeading(id)), blocks };
}

/** A matrix as `[[a, b], [c, d]]` with `formatNumber`. */
export function formatMatrix(rows: readonly (readonly number[])[]): string {
  return `[${rows.map((row) => formatList(row)).join(', ')}]`;
}

/** A printed value (a number or nested lists) as the explanations quote it. */
export function formatPrinted(value: ExplainNumber): string {
  return typeof value === 'number' ? formatNumber(value) : `[${value.map(formatPrinted).join(', ')}]`;
}

/** How a surface names cross-entropy's figure (the command line: `losslab plot cross-entropy …`). */
export type CrossEntropyFigureCommand = (against: CrossEntropyAxis, lang: Lang) => string;

/** By default, the library call that draws it. */
export function crossEntropyFigureCall(against: CrossEntropyAxis, lang: Lang): string {
  const parts = [...(against === 'probability' ? ["against: 'probability'"] : []), ...(lang === 'en' ? [] : [`lang: '${lang}'`])];
  return `crossEntropyFigure(${parts.length === 0 ? '' : `{ ${parts.join(', ')} }`})`;
}

/** 1. The regression figure is not softmax regression's loss; cross-entropy's curves, at the worked example's y′ as the true-class logit. */
export function whichLossSection(
  lang: Lang,
  n: { readonly name: string; readonly prediction: number; readonly point: CrossEntropyPoint; readonly command: CrossEntropyFigureCommand },
): ExplainSection {
  const text = t(lang, 'explain.question.which-loss.text', {
    name: n.name,
    logitCommand: n.command('logit', lang),
    probabilityCommand: n.command('probability', lang),
    logit: n.prediction,
    probability: n.point.probability,
    ceLoss: n.point.loss,
    ceGradLogit: n.point.gradientLogit,
    ceGradProbability: n.point.gradientProbability,
  });
  return section(lang, 'which-loss', [paragraph(text), formula(QUESTION_FORMULAS.whichLoss)]);
}

/** 2. Why ½: the gradient with and without it. */
export function halfSection(lang: Lang, n: HalfNumbers & { readonly target: number; readonly prediction: number }): ExplainSection {
  return section(lang, 'half', [paragraph(t(lang, 'explain.question.half.text', { ...n })), formula(QUESTION_FORMULAS.half)]);
}

/** 3. The data: independent targets, the product of their likelihoods, the sum of logs, the mean loss. */
export function dataSection(lang: Lang, n: DataNumbers): ExplainSection {
  const text = t(lang, 'explain.question.data.text', {
    n: n.n,
    targets: formatList(n.targets),
    predictions: formatList(n.predictions),
    densities: formatList(n.densities),
    product: n.product,
    logProduct: n.logProduct,
    sumLogs: n.sumLogs,
    losses: formatList(n.losses),
    meanLoss: n.meanLoss,
    meanNll: n.meanNll,
    constant: n.constant,
  });
  return section(lang, 'data', [paragraph(text), formula(QUESTION_FORMULAS.data)]);
}

/** The example's Jacobian as a display formula: a TeX matrix and its rows in Unicode. */
function jacobianFormula(jacobian: readonly (readonly number[])[]): ExplainBlock {
  const texRows = jacobian.map((row) => row.map((v) => formatNumber(v)).join(' & ')).join(' \\\\ ');
  const textRows = jacobian.map((row, k) => `${k === 0 ? 'J = [' : '     '}${formatList(row)}${k === jacobian.length - 1 ? ']' : ','}`);
  return formula({
    tex: `J = \\operatorname{diag}(\\hat{y}) - \\hat{y}\\hat{y}^\\top = \\begin{pmatrix} ${texRows} \\end{pmatrix}`,
    text: textRows.join('\n'),
  });
}

/** 4. ŷ − y by the quotient rule, with the example's Jacobian, beside the log-sum-exp route. */
export function quotientRuleSection(lang: Lang, n: QuotientRuleNumbers & { readonly target: number }): ExplainSection {
  const values = {
    target: n.target,
    probs: formatList(n.probs),
    diagonal: n.diagonal,
    row: formatList(n.row),
    outer: n.outer,
    viaQuotient: formatList(n.viaQuotient),
    viaLogSumExp: formatList(n.viaLogSumExp),
  };
  return section(lang, 'quotient-rule', [
    paragraph(t(lang, 'explain.question.quotient-rule.jacobian', values)),
    formula(QUESTION_FORMULAS.jacobian),
    jacobianFormula(n.jacobian),
    paragraph(t(lang, 'explain.question.quotient-rule.combine', values)),
    formula(QUESTION_FORMULAS.quotient),
  ]);
}

/** 5. Self-information and entropy, then cross-entropy as one more of them. */
export function informationSection(lang: Lang, n: InformationNumbers): ExplainSection {
  const text = t(lang, 'explain.question.information.text', {
    probs: formatList(n.probs),
    information: formatList(n.information),
    informationBits: formatList(n.informationBits),
    entropy: n.entropy,
    uniform: n.uniform,
    classes: n.classes,
    coin: n.coin,
    crossEntropy: n.crossEntropy,
    target: n.target,
  });
  return section(lang, 'information', [paragraph(text), formula(QUESTION_FORMULAS.information)]);
}

/** 6. Probabilities passed where logits belong: loss, gradient and a few training steps, both ways. */
export function logitsSection(
  lang: Lang,
  n: {
    readonly logits: readonly number[];
    readonly target: number;
    readonly probs: readonly number[];
    readonly loss: number;
    readonly gradient: readonly number[];
    readonly mistake: MistakenCrossEntropy;
    readonly floor: number;
    readonly classes: number;
    readonly training: TrainingSteps;
  },
): ExplainSection {
  const last = n.training.steps.length - 1;
  return section(lang, 'logits', [
    paragraph(
      t(lang, 'explain.question.logits.text', {
        logits: formatList(n.logits),
        target: n.target,
        probs: formatList(n.probs),
        loss: n.loss,
        gradient: formatList(n.gradient),
        mistakenLoss: n.mistake.loss,
        mistakenGradient: formatList(n.mistake.gradLogits),
        floor: n.floor,
        classes: n.classes,
      }),
    ),
    formula(QUESTION_FORMULAS.mistake),
    paragraph(
      t(lang, 'explain.question.logits.training', {
        lr: n.training.lr,
        steps: formatList(n.training.steps),
        last: n.training.steps[last],
        right: formatList(n.training.right),
        mistaken: formatList(n.training.mistaken),
        rightLoss: n.training.rightLoss,
        mistakenLoss: n.training.mistakenLoss,
        target: n.target,
      }),
    ),
  ]);
}

const SNIPPET_TITLES: Readonly<
  Record<SnippetId, 'explain.snippet.softmax-vector' | 'explain.snippet.softmax-batch' | 'explain.snippet.softmax-stable' | 'explain.snippet.cross-entropy'>
> = {
  'softmax-vector': 'explain.snippet.softmax-vector',
  'softmax-batch': 'explain.snippet.softmax-batch',
  'softmax-stable': 'explain.snippet.softmax-stable',
  'cross-entropy': 'explain.snippet.cross-entropy',
};

/** 7. The same code in NumPy, PyTorch and losslab, each with what all three print (computed by losslab). */
export function sameCodeSection(lang: Lang): ExplainSection {
  const blocks: ExplainBlock[] = [paragraph(t(lang, 'explain.question.same-code.intro'))];
  for (const snippet of SNIPPETS) {
    blocks.push(
      paragraph(t(lang, SNIPPET_TITLES[snippet.id])),
      code([
        { label: 'NumPy', language: 'python', code: snippetCode(snippet, 'numpy') },
        { label: 'PyTorch', language: 'python', code: snippetCode(snippet, 'pytorch') },
        { label: 'losslab', language: 'typescript', code: snippetCode(snippet, 'losslab') },
      ]),
      paragraph(t(lang, 'explain.snippet.prints', { output: snippetOutputs(snippet.id).map(formatPrinted).join(' · ') })),
    );
  }
  return section(lang, 'same-code', blocks);
}
