import { fail, formatValue, LosslabError } from '../../errors.js';
import { LANGS } from '../../i18n/lang.js';
import { explainCrossEntropy, explainLoss, explainSoftmax } from '../../explain/index.js';
import { explanationToMarkdown, explanationToText } from '../../explain/render.js';
import type { Explanation } from '../../explain/types.js';
import { findPointwise, POINTWISE_LOSSES, type PointwiseEntry } from '../../functional/losses.js';
import { optGiven, optionValues, type OptionSpecs } from '../args.js';
import type { Command } from '../command.js';
import {
  checkParametersApply,
  optionOfParameter,
  parameterUsage,
  plotCommand,
  plotCrossEntropyCommand,
  pointwiseParameterOptions,
  pointwiseValues,
} from '../lossOptions.js';

/** The names a loss is explained by: every pointwise loss of the registry, by either of its names. */
const LOSS_NAMES = [...new Set([...POINTWISE_LOSSES.map((e) => e.id), ...POINTWISE_LOSSES.map((e) => e.spec.id)])];
const TOPICS = ['loss', 'softmax', 'cross-entropy'] as const;
const FN = 'losslab explain';

const own = {
  loss: { type: 'string', description: 'loss: which loss (as `losslab explain <loss>`)', choices: LOSS_NAMES, default: 'l2' },
  lang: { type: 'string', description: 'language of the text', choices: LANGS, default: 'en' },
  format: { type: 'string', description: 'plain text for the terminal, or markdown with $$TeX$$ formulas', choices: ['text', 'markdown'], default: 'text' },
  target: { type: 'number', description: "loss: the target y of the worked example (default: the loss's, 0 for a regression loss, 1 for a binary one)" },
  prediction: { type: 'number', description: "loss: the prediction y′ of the worked example, for a binary loss the logit z (default: the loss's, 2 or 0.5)" },
} as const satisfies OptionSpecs;

/** The options: its own, then one per loss parameter (from the registry). */
const options: OptionSpecs = { ...own, ...pointwiseParameterOptions() };

/** Options that only a loss's explanation takes. */
const LOSS_ONLY = Object.keys(options).filter((o) => o !== 'lang' && o !== 'format');

/**
 * `losslab explain <loss|softmax|cross-entropy>` (or `losslab explain loss --loss <loss>`): the
 * derivation a learner needs — likelihood, negative log-likelihood, gradient and how to read the
 * figure for every loss of the registry; softmax, cross-entropy, the gradient ŷ − y and the
 * max-subtraction trick — with every number computed.
 */
export const command: Command = {
  name: 'explain',
  summary: 'derivations: likelihood, gradient, softmax, cross-entropy',
  usage: `explain <loss|softmax|cross-entropy|${LOSS_NAMES.join('|')}> [--loss LOSS] [--target Y] [--prediction P] ${parameterUsage(pointwiseParameterOptions())} [--lang en|zh] [--format text|markdown]`,
  options,
  async run(args, io) {
    const o = optionValues(args, own);
    const topic = args.positionals[0];
    const named = findPointwise(topic ?? '');
    if (args.positionals.length !== 1 || (!(TOPICS as readonly string[]).includes(topic) && !named)) {
      fail({
        fn: FN,
        argument: '<topic>',
        value: args.positionals.length === 0 ? undefined : formatValue(args.positionals.join(' ')),
        rule: `give one topic: ${[...TOPICS, ...LOSS_NAMES].join(', ')}`,
        fix: 'For example: losslab explain huber',
      });
    }
    if (named && optGiven(args, own, 'loss')) {
      fail({
        fn: FN,
        argument: '--loss',
        value: formatValue(o.loss),
        rule: `the topic already names the loss (${topic})`,
        fix: 'Leave --loss out.',
      });
    }
    if (topic === 'softmax' || topic === 'cross-entropy') {
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
    const { lang } = o;
    let explanation: Explanation;
    if (topic === 'softmax') explanation = explainSoftmax({ lang });
    else if (topic === 'cross-entropy') explanation = explainCrossEntropy({ lang });
    else {
      const entry: PointwiseEntry | undefined = named ?? findPointwise(o.loss);
      if (!entry) throw new Error('explain: --loss was checked against the registry');
      checkParametersApply(args, entry, FN, 'loss');
      try {
        explanation = explainLoss({
          loss: entry.id,
          lang,
          target: o.target,
          prediction: o.prediction,
          params: pointwiseValues(args, entry),
          figureCommand: plotCommand,
          crossEntropyFigureCommand: plotCrossEntropyCommand,
        });
      } catch (error) {
        // Library errors name the library's argument; report the option (a binary loss's logit is --prediction).
        if (!(error instanceof LosslabError)) throw error;
        const argument = error.argument === 'logit' ? 'prediction' : error.argument;
        const option = optionOfParameter(argument) ?? (argument in options ? `--${argument}` : undefined);
        if (option === undefined) throw error;
        throw new LosslabError({ fn: FN, argument: option, value: error.value, rule: error.rule, fix: error.fix });
      }
    }
    io.stdout(o.format === 'markdown' ? explanationToMarkdown(explanation) : explanationToText(explanation));
    return 0;
  },
};
