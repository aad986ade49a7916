import { describe, expect, expectTypeOf, it } from 'vitest';
import { formatOptions, type OptionSpecs, optGiven, optionValues, parseArgs } from '../../src/cli/args.js';

const specs = {
  model: { type: 'string', choices: ['softmax', 'mlp'], description: 'the model', default: 'softmax' },
  epochs: { type: 'integer', min: 1, description: 'passes', default: 10 },
  lr: { type: 'number', description: 'learning rate' },
  out: { type: 'string', description: 'folder' },
  figures: { type: 'boolean', description: 'draw figures', default: true },
  json: { type: 'boolean', description: 'print JSON' },
} as const satisfies OptionSpecs;

describe('typed options from the option specs (defaults stated once)', () => {
  it('fills in the defaults of the specs and keeps what was given', () => {
    const none = optionValues(parseArgs([], specs, 'demo'), specs);
    expect(none).toEqual({ model: 'softmax', epochs: 10, lr: undefined, out: undefined, figures: true, json: undefined });
    const given = optionValues(parseArgs(['--model', 'mlp', '--epochs', '3', '--lr=0.5', '--no-figures', '--json'], specs, 'demo'), specs);
    expect(given).toEqual({ model: 'mlp', epochs: 3, lr: 0.5, out: undefined, figures: false, json: true });
  });

  it('tells a given option from a default', () => {
    expect(optGiven(parseArgs([], specs, 'demo'), specs, 'model')).toBe(false);
    expect(optGiven(parseArgs(['--model', 'softmax'], specs, 'demo'), specs, 'model')).toBe(true);
  });

  it('types each option from its spec: choices as a union, a value where there is a default', () => {
    const o = optionValues(parseArgs([], specs, 'demo'), specs);
    expectTypeOf(o.model).toEqualTypeOf<'softmax' | 'mlp'>();
    expectTypeOf(o.epochs).toEqualTypeOf<number>();
    expectTypeOf(o.lr).toEqualTypeOf<number | undefined>();
    expectTypeOf(o.out).toEqualTypeOf<string | undefined>();
    expectTypeOf(o.figures).toEqualTypeOf<boolean>();
    expectTypeOf(o.json).toEqualTypeOf<boolean | undefined>();
  });

  it('refuses, at compile time, a name that is not in the specs (npm run typecheck checks these lines)', () => {
    const args = parseArgs([], specs, 'demo');
    const o = optionValues(args, specs);
    // @ts-expect-error 'epoch' is not an option of the specs (they have 'epochs')
    expect(o.epoch).toBeUndefined();
    // @ts-expect-error a given-or-not question about an option the command does not have
    expect(optGiven(args, specs, 'epoch')).toBe(false);
  });

  it('help shows the same defaults', () => {
    expect(formatOptions(specs)).toContain('the model (default softmax)');
    expect(formatOptions(specs)).toContain('passes (default 10)');
  });
});
