import type { MessageKey } from '../i18n/en.js';
import { pointwiseIds } from '../functional/losses.js';

/**
 * The questions a learner asks on meeting d2l's "L2 Loss" figure and the softmax chapter, once: where
 * each is answered (the `losslab explain` topics whose text has its section, the web lab page whose
 * derivation panel shows it, and `losslab tour`). The section of question `id` has the id `id` in
 * every explanation; its heading is the catalogue's `explain.question.<id>.heading` and its tour
 * line `tour.question.<id>`. test/explain/questions.test.ts holds this list against the catalogues,
 * the command line and the computed numbers, test/web/lab.test.ts against the pages.
 */
export type QuestionId = 'which-loss' | 'half' | 'data' | 'quotient-rule' | 'information' | 'logits' | 'same-code';

export interface LearnerQuestion {
  readonly id: QuestionId;
  /** `losslab explain <topic>` prints the answer for each of these topics. */
  readonly topics: readonly string[];
  /** The web lab page whose derivation panel holds the answer (`#loss`, `#softmax`). */
  readonly page: 'loss' | 'softmax';
}

const SOFTMAX_TOPICS = ['softmax', 'cross-entropy'] as const;

export const LEARNER_QUESTIONS: readonly LearnerQuestion[] = [
  /** 1. "Is this softmax regression's loss?" — every regression-loss figure; cross-entropy's own curves. */
  { id: 'which-loss', topics: pointwiseIds('density'), page: 'loss' },
  /** 2. Why the ½ in ½(y − y′)²: the gradient with and without it. */
  { id: 'half', topics: ['l2'], page: 'loss' },
  /** 3. What "data" is in log P(data | y′): independent targets, product, sum of logs, mean loss. */
  { id: 'data', topics: pointwiseIds('density'), page: 'loss' },
  /** 4. ŷ − y by the quotient rule: the softmax Jacobian diag(ŷ) − ŷŷᵀ. */
  { id: 'quotient-rule', topics: SOFTMAX_TOPICS, page: 'softmax' },
  /** 5. Self-information and entropy, before cross-entropy. */
  { id: 'information', topics: SOFTMAX_TOPICS, page: 'softmax' },
  /** 6. "CrossEntropyLoss takes logits": softmax outputs passed by mistake. */
  { id: 'logits', topics: SOFTMAX_TOPICS, page: 'softmax' },
  /** 7. The same code in NumPy, PyTorch and losslab. */
  { id: 'same-code', topics: SOFTMAX_TOPICS, page: 'softmax' },
];

/** The texts every question needs in both catalogues (`zh.ts` is typed against `en.ts`): a missing one does not compile. */
type RequiredMessage = `explain.question.${QuestionId}.heading` | `tour.question.${QuestionId}`;
type MissingMessage = Exclude<RequiredMessage, MessageKey>;
export const EVERY_QUESTION_HAS_ITS_TEXTS: [MissingMessage] extends [never] ? true : MissingMessage = true;

/** The heading key of a question's section. */
export function questionHeading(id: QuestionId): `explain.question.${QuestionId}.heading` {
  return `explain.question.${id}.heading`;
}
