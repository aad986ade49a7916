import { isAbsolute, resolve } from 'node:path';
import { fail, formatValue, LosslabError } from '../../errors.js';
import { LANGS, type Lang } from '../../i18n/lang.js';
import { checkRange } from '../../figures/options.js';
import { classificationFigure } from '../../figures/classification.js';
import { isRegressionLoss, regressionFigure, REGRESSION_LOSSES } from '../../figures/regression.js';
import { softmaxFigure } from '../../figures/softmaxFigure.js';
import type { VegaLiteSpec } from '../../figures/spec.js';
import { FIGURE_FORMATS, renderFigure } from '../../node/render.js';
import { optFlag, optNumber, optString, type OptionSpecs, type ParsedArgs } from '../args.js';
import type { Command } from '../command.js';

const FIGURES = [...REGRESSION_LOSSES, 'cross-entropy', 'bce', 'softmax'] as const;
type FigureName = (typeof FIGURES)[number];

const options: OptionSpecs = {
  out: { type: 'string', alias: 'o', description: 'the file to write: .svg or .png (the figure), .csv or .json (the plotted numbers)' },
  target: {
    type: 'number',
    description: 'regression: the target y (default 0); cross-entropy: the true class (default 0); bce: the target y in [0, 1] (default 1)',
  },
  from: { type: 'number', description: 'start of the x range (default target − 5; −6 for logits)' },
  to: { type: 'number', description: 'end of the x range, excluded (default target + 5; 6 for logits)' },
  points: { type: 'integer', description: 'grid points (default 1000, d2l’s arange(-5, 5, 0.01))', min: 2, max: 100000 },
  delta: { type: 'number', description: 'huber: δ (PyTorch HuberLoss(delta))', min: 0, exclusiveMin: true, default: 1 },
  beta: { type: 'number', description: 'smooth-l1: β (PyTorch SmoothL1Loss(beta))', min: 0, exclusiveMin: true, default: 1 },
  sigma: { type: 'number', description: 'gaussian-nll: the standard deviation σ (variance σ²)', min: 0, exclusiveMin: true, default: 1 },
  logits: { type: 'string', description: 'softmax / cross-entropy: comma-separated logits, e.g. 2,1,0.1' },
  temperature: { type: 'number', description: 'softmax: divide the logits by T', min: 0, exclusiveMin: true, default: 1 },
  naive: { type: 'boolean', description: 'softmax: show exp overflowing without the max trick (float32 and float64)' },
  lang: { type: 'string', description: 'language of every label', choices: LANGS, default: 'en' },
  width: { type: 'integer', description: 'plot width in pixels', min: 50, max: 4000 },
  height: { type: 'integer', description: 'plot height in pixels', min: 50, max: 4000 },
  scale: { type: 'number', description: 'PNG pixels per plot pixel', min: 0, exclusiveMin: true, max: 16, default: 2 },
};

/** Which figures each figure-specific option applies to; giving it to another figure is an error. */
const APPLIES_TO: Readonly<Record<string, readonly FigureName[]>> = {
  delta: ['huber'],
  beta: ['smooth-l1'],
  sigma: ['gaussian-nll'],
  logits: ['softmax', 'cross-entropy'],
  temperature: ['softmax'],
  naive: ['softmax'],
  target: [...REGRESSION_LOSSES, 'cross-entropy', 'bce'],
  from: [...REGRESSION_LOSSES, 'cross-entropy', 'bce'],
  to: [...REGRESSION_LOSSES, 'cross-entropy', 'bce'],
  points: [...REGRESSION_LOSSES, 'cross-entropy', 'bce'],
};

const FN = 'losslab plot';

function parseLogits(text: string): number[] {
  const parts = text.split(',');
  return parts.map((part) => {
    const value = Number(part);
    if (part.trim() === '' || !Number.isFinite(value)) {
      fail({ fn: FN, argument: '--logits', value: formatValue(text), rule: 'it must be comma-separated finite numbers, e.g. 2,1,0.1' });
    }
    return value;
  });
}

function checkApplicable(args: ParsedArgs, figure: FigureName): void {
  for (const [name, figures] of Object.entries(APPLIES_TO)) {
    const value = args.options[name];
    if (value === undefined || figures.includes(figure)) continue;
    fail({
      fn: FN,
      argument: `--${name}`,
      value: formatValue(value),
      rule: `it only applies to ${figures.join(', ')}, and the figure is ${figure}`,
      fix: `Leave --${name} out.`,
    });
  }
}

/** Library errors name the library's argument (`delta`); the CLI reports the option (`--delta`). */
function asOption(error: LosslabError): LosslabError {
  if (!(error.argument in options)) return error;
  return new LosslabError({ fn: FN, argument: `--${error.argument}`, value: error.value, rule: error.rule, fix: error.fix });
}

function buildSpec(figure: FigureName, args: ParsedArgs, lang: Lang): VegaLiteSpec {
  const common = { lang, width: optNumber(args, 'width'), height: optNumber(args, 'height') };
  const range = { from: optNumber(args, 'from'), to: optNumber(args, 'to'), points: optNumber(args, 'points') };
  const logitsText = optString(args, 'logits');
  const logits = logitsText === undefined ? undefined : parseLogits(logitsText);
  if (figure === 'softmax') {
    return softmaxFigure({ ...common, logits, temperature: optNumber(args, 'temperature'), naive: optFlag(args, 'naive') });
  }
  if (figure === 'cross-entropy' || figure === 'bce') {
    return classificationFigure({ ...common, ...range, loss: figure, logits, target: optNumber(args, 'target') });
  }
  return regressionFigure({
    ...common,
    ...range,
    loss: figure,
    target: optNumber(args, 'target'),
    delta: optNumber(args, 'delta'),
    beta: optNumber(args, 'beta'),
    sigma: optNumber(args, 'sigma'),
  });
}

/**
 * `losslab plot <figure> --out FILE`: d2l's loss figure (loss blue, likelihood green, gradient
 * orange against the prediction y′) for every regression loss, cross-entropy and BCE against the
 * logit of the true class, and softmax views (with `--naive`, exp overflowing without the max
 * trick). The extension of FILE picks SVG, PNG (bundled CJK font), CSV or JSON (the plotted numbers).
 */
export const command: Command = {
  name: 'plot',
  summary: 'loss / likelihood / gradient figures as SVG, PNG, CSV or JSON',
  usage: `plot <${FIGURES.join('|')}> --out FILE [--target Y] [--from A --to B] [--delta D] [--beta B] [--sigma S]\n       [--logits a,b,c] [--temperature T] [--naive] [--lang en|zh] [--width W --height H] [--scale S]`,
  options,
  async run(args, io) {
    if (args.positionals.length !== 1) {
      fail({
        fn: FN,
        argument: '<figure>',
        value: args.positionals.length === 0 ? undefined : formatValue(args.positionals),
        rule: `give exactly one figure: ${FIGURES.join(', ')}`,
        fix: 'For example: losslab plot l2 --out l2.svg',
      });
    }
    const figure = args.positionals[0];
    if (!(FIGURES as readonly string[]).includes(figure)) {
      fail({ fn: FN, argument: '<figure>', value: formatValue(figure), rule: `it must be one of ${FIGURES.join(', ')}` });
    }
    const name = figure as FigureName;
    const out = optString(args, 'out');
    if (out === undefined)
      fail({
        fn: FN,
        argument: '--out',
        rule: `it is required: the file to write, ending in ${FIGURE_FORMATS.join(', ')}`,
        fix: `For example: losslab plot ${name} --out ${name}.svg`,
      });
    checkApplicable(args, name);
    const from = optNumber(args, 'from');
    const to = optNumber(args, 'to');
    if (from !== undefined || to !== undefined) {
      const target = isRegressionLoss(name) ? (optNumber(args, 'target') ?? 0) : 0;
      const defaults = isRegressionLoss(name) ? [target - 5, target + 5] : [-6, 6];
      checkRange(from ?? defaults[0], to ?? defaults[1], FN, { from: '--from', to: '--to' });
    }
    const lang = (optString(args, 'lang') ?? 'en') as Lang;
    const path = isAbsolute(out) ? out : resolve(io.cwd, out);
    let spec: VegaLiteSpec;
    try {
      spec = buildSpec(name, args, lang);
    } catch (error) {
      throw error instanceof LosslabError ? asOption(error) : error;
    }
    await renderFigure(spec, path, { scale: optNumber(args, 'scale'), argument: '--out' });
    io.stdout(`wrote ${path}\n`);
    return 0;
  },
};
