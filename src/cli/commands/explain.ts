import { fail, formatValue, LosslabError } from '../../errors.js';
import { LANGS, type Lang } from '../../i18n/lang.js';
import { REGRESSION_LOSSES, type RegressionLossId } from '../../figures/regression.js';
import { explainBce, explainCrossEntropy, explainLoss, explainSoftmax } from '../../explain/index.js';
import { explanationToMarkdown, explanationToText } from '../../explain/render.js';
import type { Explanation } from '../../explain/types.js';
import { optNumber, optString, type OptionSpecs } from '../args.js';
import type { Command } from '../command.js';

const TOPICS = ['loss', 'softmax', 'cross-entropy'] as const;
const FN = 'losslab explain';

const options: OptionSpecs = {
  loss: {
    type: 'string',
    description: 'loss: which loss (a regression loss, or bce: binary cross-entropy with logits)',
    choices: [...REGRESSION_LOSSES, 'bce'],
    default: 'l2',
  },
  lang: { type: 'string', description: 'language of the text', choices: LANGS, default: 'en' },
  format: { type: 'string', description: 'plain text for the terminal, or markdown with $$TeX$$ formulas', choices: ['text', 'markdown'], default: 'text' },
  target: { type: 'number', description: 'loss: the target y of the worked example', default: 0 },
  prediction: { type: 'number', description: 'loss: the prediction y′ of the worked example (bce: the logit z, default 0.5)', default: 2 },
  delta: { type: 'number', description: 'huber: δ', min: 0, exclusiveMin: true, default: 1 },
  beta: { type: 'number', description: 'smooth-l1: β', min: 0, exclusiveMin: true, default: 1 },
  sigma: { type: 'number', description: 'gaussian-nll: σ', min: 0, exclusiveMin: true, default: 1 },
};

const LOSS_ONLY = ['loss', 'target', 'prediction', 'delta', 'beta', 'sigma'];

/**
 * `losslab explain <loss|softmax|cross-entropy>`: the derivation a learner needs — likelihood,
 * negative log-likelihood, gradient and how to read the figure for a regression loss; softmax,
 * cross-entropy, the gradient ŷ − y and the max-subtraction trick — with every number computed.
 */
export const command: Command = {
  name: 'explain',
  summary: 'derivations: likelihood, gradient, softmax, cross-entropy',
  usage: 'explain <loss|softmax|cross-entropy> [--loss l2|mse|l1|huber|smooth-l1|gaussian-nll|bce] [--lang en|zh] [--format text|markdown]',
  options,
  async run(args, io) {
    const topic = args.positionals[0];
    if (args.positionals.length !== 1 || !(TOPICS as readonly string[]).includes(topic)) {
      fail({
        fn: FN,
        argument: '<topic>',
        value: args.positionals.length === 0 ? undefined : formatValue(args.positionals.join(' ')),
        rule: `give one topic: ${TOPICS.join(', ')}`,
        fix: 'For example: losslab explain loss --loss huber',
      });
    }
    if (topic !== 'loss') {
      for (const name of LOSS_ONLY) {
        const value = args.options[name];
        if (value !== undefined)
          fail({
            fn: FN,
            argument: `--${name}`,
            value: formatValue(value),
            rule: `it only applies to 'losslab explain loss', and the topic is ${topic}`,
            fix: `Leave --${name} out.`,
          });
      }
    }
    const lang = (optString(args, 'lang') ?? 'en') as Lang;
    let explanation: Explanation;
    try {
      if (topic === 'softmax') explanation = explainSoftmax({ lang });
      else if (topic === 'cross-entropy') explanation = explainCrossEntropy({ lang });
      else if (optString(args, 'loss') === 'bce') {
        for (const name of ['delta', 'beta', 'sigma']) {
          const value = args.options[name];
          if (value !== undefined)
            fail({ fn: FN, argument: `--${name}`, value: formatValue(value), rule: 'it does not apply to bce', fix: `Leave --${name} out.` });
        }
        explanation = explainBce({ lang, target: optNumber(args, 'target'), logit: optNumber(args, 'prediction') });
      } else {
        explanation = explainLoss({
          lang,
          loss: (optString(args, 'loss') ?? 'l2') as RegressionLossId,
          target: optNumber(args, 'target'),
          prediction: optNumber(args, 'prediction'),
          delta: optNumber(args, 'delta'),
          beta: optNumber(args, 'beta'),
          sigma: optNumber(args, 'sigma'),
        });
      }
    } catch (error) {
      // Library errors name the library's argument; report the option (explainBce's logit is --prediction).
      const option = error instanceof LosslabError ? (error.argument === 'logit' ? 'prediction' : error.argument) : '';
      if (error instanceof LosslabError && option in options) {
        throw new LosslabError({ fn: FN, argument: `--${option}`, value: error.value, rule: error.rule, fix: error.fix });
      }
      throw error;
    }
    io.stdout(optString(args, 'format') === 'markdown' ? explanationToMarkdown(explanation) : explanationToText(explanation));
    return 0;
  },
};
