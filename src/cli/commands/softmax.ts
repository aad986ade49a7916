import { fail, formatValue } from '../../errors.js';
import { crossEntropy } from '../../functional/crossEntropy.js';
import { softmax } from '../../functional/softmax.js';
import { fromTypedArray, tensor } from '../../tensor/tensor.js';
import { optionValues, type OptionSpecs } from '../args.js';
import type { Command } from '../command.js';
import { encodeJsonNumber } from '../../data/jsonNumbers.js';
import { formatNumber } from '../tensorFile.js';

const options = {
  temperature: { type: 'number', description: 'divide the logits by T before the softmax', min: 0, exclusiveMin: true, default: 1 },
  target: { type: 'integer', description: 'the true class: also print the cross-entropy and its gradient ŷ − y' },
  dtype: { type: 'string', description: 'compute in float32 or float64', choices: ['float32', 'float64'], default: 'float64' },
  json: { type: 'boolean', description: 'print {"probabilities", "crossEntropy", "gradient"} as JSON' },
} as const satisfies OptionSpecs;

const NAMED: Readonly<Record<string, number>> = { inf: Infinity, '+inf': Infinity, '-inf': -Infinity, nan: NaN };

function parseLogit(text: string, index: number): number {
  const named = NAMED[text.toLowerCase()];
  if (named !== undefined) return named;
  const v = Number(text);
  if (text.trim() === '' || Number.isNaN(v)) {
    fail({
      fn: 'losslab softmax',
      argument: `logit ${index + 1}`,
      value: formatValue(text),
      rule: 'each logit must be a number (or Infinity, -Infinity, NaN)',
    });
  }
  return v;
}

/**
 * `losslab softmax 2 1 0.1 [--temperature T] [--target K]`: the probabilities softmax(z / T) of the
 * logits (`torch.softmax`); with a target also the cross-entropy −log ŷ_K (`F.cross_entropy`) and
 * its gradient ŷ − y with respect to z / T (divided by T with respect to the logits themselves).
 */
export const command: Command = {
  name: 'softmax',
  summary: 'softmax probabilities of logits (and cross-entropy with --target)',
  usage: 'softmax <logit> [<logit> ...] [--temperature T] [--target K] [--dtype float32|float64] [--json]',
  options,
  async run(args, io) {
    const fn = 'losslab softmax';
    if (args.positionals.length === 0) fail({ fn, argument: '<logits>', rule: 'at least one logit is needed, e.g. losslab softmax 2 1 0.1' });
    const logits = args.positionals.map(parseLogit);
    const { dtype, temperature, target: targetClass, json } = optionValues(args, options);
    const c = logits.length;
    if (targetClass !== undefined && (targetClass < 0 || targetClass >= c)) {
      fail({
        fn,
        argument: '--target',
        value: formatValue(targetClass),
        rule: `it must be a class index in [0, ${c - 1}] for ${c} logit${c === 1 ? '' : 's'}`,
      });
    }
    const z = tensor(logits, { dtype });
    const probabilities = softmax(z, -1, { temperature });

    let loss: number | undefined;
    let gradient: number[] | undefined;
    if (targetClass !== undefined) {
      // CE of the scaled logits z / T; its gradient there is ŷ − y.
      const scaled = tensor(
        logits.map((v) => v / temperature),
        { dtype, requiresGrad: true },
      );
      const ce = crossEntropy(scaled, fromTypedArray(Int32Array.of(targetClass), []));
      ce.backward();
      loss = ce.item();
      gradient = Array.from(scaled.grad?.data ?? []);
    }

    if (json === true) {
      const out: Record<string, unknown> = { probabilities: Array.from(probabilities.data, encodeJsonNumber) };
      if (loss !== undefined && gradient) {
        out.crossEntropy = encodeJsonNumber(loss);
        out.gradient = gradient.map(encodeJsonNumber);
      }
      io.stdout(`${JSON.stringify(out)}\n`);
      return 0;
    }
    const header = ['class', 'logit', 'probability', ...(gradient ? ['ŷ − y'] : [])];
    const rows = logits.map((v, k) => [String(k), formatNumber(v), formatNumber(probabilities.data[k]), ...(gradient ? [formatNumber(gradient[k])] : [])]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]): string =>
      cells
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd();
    const out = [`softmax(z${temperature === 1 ? '' : ` / ${temperature}`}) of ${c} logit${c === 1 ? '' : 's'} (${dtype})`, line(header), ...rows.map(line)];
    if (loss !== undefined) {
      out.push(`cross-entropy −log ŷ[${targetClass}] = ${formatNumber(loss)}`);
      out.push(temperature === 1 ? 'gradient w.r.t. the logits: ŷ − y' : `gradient w.r.t. z / T is ŷ − y; w.r.t. the logits z it is (ŷ − y) / ${temperature}`);
    }
    io.stdout(`${out.join('\n')}\n`);
    return 0;
  },
};
