import { fail, formatValue } from '../../errors.js';
import type { DType, FloatArray } from '../../tensor/dtype.js';
import { add, erf, mul, tanh } from '../../tensor/ops/index.js';
import type { RandomState } from '../../tensor/random.js';
import type { Floatish } from '../../tensor/ops/index.js';
import { record, Tensor } from '../../tensor/tensor.js';
import { defaultGenerator } from '../generator.js';

/**
 * `F.gelu(input, approximate)`: x·Φ(x) = ½x(1 + erf(x/√2)), or with `approximate: 'tanh'`
 * ½x(1 + tanh(√(2/π)(x + 0.044715x³))). Composed of recorded ops (differentiable twice).
 */
export function gelu<D extends DType>(input: Tensor<D>, options?: { approximate?: 'none' | 'tanh' }): Tensor<Floatish<D>>;
export function gelu(input: Tensor, options: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  const approximate = options.approximate ?? 'none';
  if (approximate === 'none') return mul(mul(input, 0.5), add(erf(mul(input, Math.SQRT1_2)), 1));
  if (approximate === 'tanh') {
    const inner = mul(add(input, mul(mul(mul(input, input), input), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(mul(input, 0.5), add(tanh(inner), 1));
  }
  return fail({ fn: 'gelu', argument: 'approximate', value: formatValue(approximate), rule: "it must be 'none' or 'tanh'" });
}

/**
 * `F.dropout(input, p, training)`: in training, zeroes each element with probability p and scales
 * the rest by 1/(1 − p) (p = 1 gives zeros); the identity otherwise. The mask comes from
 * `generator` (default: the nn generator, `manualSeed`).
 */
export function dropout<D extends DType>(input: Tensor<D>, p?: number, training?: boolean, generator?: RandomState): Tensor<Floatish<D>>;
export function dropout(input: Tensor, p = 0.5, training = true, generator?: RandomState): Tensor {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) fail({ fn: 'dropout', argument: 'p', value: formatValue(p), rule: 'it must be a probability in [0, 1]' });
  if (input.dtype !== 'float32' && input.dtype !== 'float64')
    fail({ fn: 'dropout', argument: 'input', value: input.dtype, rule: 'it must be float32 or float64' });
  if (!training || p === 0) return input;
  const rng = generator ?? defaultGenerator();
  const keep = 1 - p;
  const scale = p === 1 ? 0 : 1 / keep;
  const mask = (input.dtype === 'float32' ? new Float32Array(input.size) : new Float64Array(input.size)) as FloatArray;
  for (let i = 0; i < mask.length; i++) mask[i] = rng.randomSample() < keep ? scale : 0;
  return mul(input, new Tensor(mask, input.shape));
}

/**
 * The gradient reversal layer of DANN (Ganin & Lempitsky 2015): the identity forward, −λ·g
 * backward. λ is read when the forward runs, so it can change every step.
 */
export function gradientReversal<D extends DType>(input: Tensor<D>, lambda?: number): Tensor<Floatish<D>>;
export function gradientReversal(input: Tensor, lambda = 1): Tensor {
  if (typeof lambda !== 'number' || !Number.isFinite(lambda))
    fail({ fn: 'gradientReversal', argument: 'lambda', value: formatValue(lambda), rule: 'it must be a finite number' });
  return record(new Tensor(input.data, input.shape), 'gradientReversal', [input], (g) => [mul(g, -lambda)], true);
}
