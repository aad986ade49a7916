import { isAbsolute, resolve } from 'node:path';
import { fail, formatValue, LosslabError } from '../../errors.js';
import { LANGS } from '../../i18n/lang.js';
import { checkRange } from '../../figures/options.js';
import { CROSS_ENTROPY_AXES, crossEntropyFigure, PROBABILITY_RANGE } from '../../figures/classification.js';
import { lossFigure } from '../../figures/lossFigure.js';
import { findPointwise, pointwiseIds } from '../../functional/losses.js';
import { resolvePointwiseValues } from '../../functional/lossSpec.js';
import { softmaxFigure } from '../../figures/softmaxFigure.js';
import type { VegaLiteSpec } from '../../figures/spec.js';
import { FIGURE_FORMATS, renderFigure } from '../../node/render.js';
import { optGiven, optionValues, type OptionSpecs, type OptionValues, type ParsedArgs } from '../args.js';
import type { Command } from '../command.js';
import {
  checkParametersApply,
  optionOfParameter,
  parameterUsage,
  pointwiseParameterOptions,
  pointwiseParameterUsers,
  pointwiseValues,
} from '../lossOptions.js';

/** The figures: every loss of the registry with a pointwise form, cross-entropy, softmax. */
const FIGURES = [...pointwiseIds('density'), 'cross-entropy', ...pointwiseIds('probability'), 'softmax'];
const CURVES = FIGURES.filter((f) => f !== 'softmax');

/** The options of every figure (the loss parameters' options, from the registry, go between range and logits in the help). */
const own = {
  out: { type: 'string', alias: 'o', description: 'the file to write: .svg or .png (the figure), .csv or .json (the plotted numbers)' },
  target: {
    type: 'number',
    description: "the target y (default: the loss's, 0 for a regression loss, 1 for a binary one); cross-entropy: the true class (default 0)",
  },
  from: { type: 'number', description: "start of the x range (default: the loss's, target − 5 for a regression loss; −6 for logits)" },
  to: { type: 'number', description: "end of the x range, excluded (default: the loss's, target + 5 for a regression loss; 6 for logits)" },
  points: { type: 'integer', description: 'grid points (default 1000, d2l’s arange(-5, 5, 0.01))', min: 2, max: 100000 },
  logits: { type: 'string', description: 'softmax / cross-entropy: comma-separated logits, e.g. 2,1,0.1' },
  against: {
    type: 'string',
    description: "cross-entropy: the x axis, the true class's logit z_c or its probability p (then --from/--to lie in (0, 1])",
    choices: CROSS_ENTROPY_AXES,
    default: 'logit',
  },
  temperature: { type: 'number', description: 'softmax: divide the logits by T', min: 0, exclusiveMin: true, default: 1 },
  naive: { type: 'boolean', description: 'softmax: show exp overflowing without the max trick (float32 and float64)' },
  lang: { type: 'string', description: 'language of every label', choices: LANGS, default: 'en' },
  width: { type: 'integer', description: 'plot width in pixels', min: 50, max: 4000 },
  height: { type: 'integer', description: 'plot height in pixels', min: 50, max: 4000 },
  scale: { type: 'number', description: 'PNG pixels per plot pixel', min: 0, exclusiveMin: true, max: 16, default: 2 },
} as const satisfies OptionSpecs;

type PlotOptions = OptionValues<typeof own>;

const options: OptionSpecs = {
  out: own.out,
  target: own.target,
  from: own.from,
  to: own.to,
  points: own.points,
  ...pointwiseParameterOptions(),
  logits: own.logits,
  against: own.against,
  temperature: own.temperature,
  naive: own.naive,
  lang: own.lang,
  width: own.width,
  height: own.height,
  scale: own.scale,
};

/** Which figures each figure-specific option applies to; giving it to another figure is an error. */
const APPLIES_TO: Readonly<Partial<Record<keyof typeof own, readonly string[]>>> = {
  logits: ['softmax', 'cross-entropy'],
  against: ['cross-entropy'],
  temperature: ['softmax'],
  naive: ['softmax'],
  target: CURVES,
  from: CURVES,
  to: CURVES,
  points: CURVES,
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

function checkApplicable(args: ParsedArgs, o: PlotOptions, figure: string): void {
  for (const [name, figures] of Object.entries(APPLIES_TO) as [keyof typeof own, readonly string[]][]) {
    const value = o[name];
    if (!optGiven(args, own, name) || value === undefined || figures.includes(figure)) continue;
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
  const option = optionOfParameter(error.argument) ?? (error.argument in options ? `--${error.argument}` : undefined);
  if (option === undefined) return error;
  return new LosslabError({ fn: FN, argument: option, value: error.value, rule: error.rule, fix: error.fix });
}

function buildSpec(figure: string, args: ParsedArgs, o: PlotOptions): VegaLiteSpec {
  const common = { lang: o.lang, width: o.width, height: o.height };
  const range = { from: o.from, to: o.to, points: o.points };
  const logits = o.logits === undefined ? undefined : parseLogits(o.logits);
  if (figure === 'softmax') {
    return softmaxFigure({ ...common, logits, temperature: o.temperature, naive: o.naive === true });
  }
  if (figure === 'cross-entropy') {
    return crossEntropyFigure({ ...common, ...range, against: o.against, logits, target: o.target });
  }
  const entry = findPointwise(figure);
  if (!entry) throw new Error(`plot: no figure ${figure}`);
  return lossFigure({ ...common, ...range, loss: entry.id, target: o.target, params: pointwiseValues(args, entry) });
}

/**
 * `losslab plot <figure> --out FILE`: d2l's loss figure (loss blue, likelihood green, gradient
 * orange against the prediction y′) for every regression loss, cross-entropy and BCE against the
 * logit of the true class (cross-entropy also against the probability p, `--against probability`),
 * and softmax views (with `--naive`, exp overflowing without the max
 * trick). The extension of FILE picks SVG, PNG (bundled CJK font), CSV or JSON (the plotted numbers).
 */
export const command: Command = {
  name: 'plot',
  summary: 'loss / likelihood / gradient figures as SVG, PNG, CSV or JSON',
  usage: `plot <${FIGURES.join('|')}> --out FILE [--target Y] [--from A --to B] ${parameterUsage(pointwiseParameterOptions())}\n       [--logits a,b,c] [--against logit|probability] [--temperature T] [--naive] [--lang en|zh] [--width W --height H] [--scale S]`,
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
    const entry = findPointwise(args.positionals[0]);
    const name = entry?.id ?? args.positionals[0];
    if (!FIGURES.includes(name)) {
      fail({ fn: FN, argument: '<figure>', value: formatValue(name), rule: `it must be one of ${FIGURES.join(', ')}` });
    }
    const o = optionValues(args, own);
    const { out } = o;
    if (out === undefined)
      fail({
        fn: FN,
        argument: '--out',
        rule: `it is required: the file to write, ending in ${FIGURE_FORMATS.join(', ')}`,
        fix: `For example: losslab plot ${name} --out ${name}.svg`,
      });
    checkApplicable(args, o, name);
    if (entry) checkParametersApply(args, entry, FN, 'figure');
    else {
      for (const [option, ids] of pointwiseParameterUsers()) {
        const value = args.options[option];
        if (value !== undefined) {
          fail({
            fn: FN,
            argument: `--${option}`,
            value: formatValue(value),
            rule: `it only applies to ${ids.join(', ')}, and the figure is ${name}`,
            fix: `Leave --${option} out.`,
          });
        }
      }
    }
    const { from, to } = o;
    if (from !== undefined || to !== undefined) {
      let defaults: readonly [number, number] = o.against === 'probability' ? [PROBABILITY_RANGE.from, PROBABILITY_RANGE.to] : [-6, 6];
      if (entry) {
        const target = o.target ?? entry.pointwise.target.default;
        try {
          defaults = entry.pointwise.range(target, resolvePointwiseValues(entry.pointwise, pointwiseValues(args, entry), FN));
        } catch (error) {
          throw error instanceof LosslabError ? asOption(error) : error;
        }
      }
      checkRange(from ?? defaults[0], to ?? defaults[1], FN, { from: '--from', to: '--to' });
    }
    const path = isAbsolute(out) ? out : resolve(io.cwd, out);
    let spec: VegaLiteSpec;
    try {
      spec = buildSpec(name, args, o);
    } catch (error) {
      throw error instanceof LosslabError ? asOption(error) : error;
    }
    await renderFigure(spec, path, { scale: o.scale, argument: '--out' });
    io.stdout(`wrote ${path}\n`);
    return 0;
  },
};
