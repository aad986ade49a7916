import { tourText } from '../../explain/tour.js';
import { LANGS } from '../../i18n/lang.js';
import { t } from '../../i18n/translate.js';
import type { MessageKey } from '../../i18n/en.js';
import { optionValues, type OptionSpecs } from '../args.js';
import type { Command } from '../command.js';
import { plotCrossEntropyCommand } from '../lossOptions.js';

const options = {
  lang: { type: 'string', description: 'language of the tour', choices: LANGS, default: 'en' },
} as const satisfies OptionSpecs;

/** Where to go next: a command and what it does (the catalogue's `tour.next.*`). */
const NEXT: readonly (readonly [string, MessageKey | null])[] = [
  ['npm start', 'tour.next.start'],
  ['losslab plot l2 --out l2.svg', 'tour.next.plot'],
  ['losslab explain softmax', 'tour.next.explain'],
  ['losslab explain l2', 'tour.next.explainL2'],
  ['losslab explain cross-entropy', 'tour.next.explainCrossEntropy'],
  ['losslab train --epochs 10', 'tour.next.train'],
  ['losslab split data.csv --strategy group --group user', null],
  ['losslab shift train.csv valid.csv', 'tour.next.shift'],
];

/**
 * `losslab tour [--lang zh]`: a short guided tour in the terminal (src/explain/tour.ts) — softmax,
 * cross-entropy, the max trick, the L2 likelihood, then one answer to each question a learner asks —
 * every number computed by the library as it prints; then the commands that go deeper.
 */
export const command: Command = {
  name: 'tour',
  summary: 'a guided tour of losslab in the terminal',
  usage: 'tour [--lang en|zh]',
  options,
  async run(args, io) {
    const { lang } = optionValues(args, options);
    const next = NEXT.map(([cmd, key]) => (key === null ? `   ${cmd}` : `   ${cmd.padEnd(36)}${t(lang, key)}`));
    io.stdout(`${tourText({ lang, crossEntropyFigureCommand: plotCrossEntropyCommand })}${t(lang, 'tour.next')}\n${next.join('\n')}\n`);
    return 0;
  },
};
