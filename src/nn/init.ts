import { noGrad } from '../autograd/gradMode.js';
import { fail, formatShape, formatValue } from '../errors.js';
import type { RandomState } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { defaultGenerator } from './generator.js';

/**
 * `torch.nn.init`: fills a tensor in place (the trailing underscore, as PyTorch) and returns it.
 * Every random initialiser draws from `generator` (default: the nn generator, `manualSeed`) in
 * row-major order — PyTorch's distributions with NumPy's random stream.
 */

export type Nonlinearity = 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';
export type FanMode = 'fan_in' | 'fan_out';

export interface InitOptions {
  generator?: RandomState;
}

function floatTarget(t: Tensor, fn: string): Float32Array | Float64Array {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') fail({ fn, argument: 'tensor', value: t.dtype, rule: 'it must be float32 or float64' });
  return t.data as Float32Array | Float64Array;
}

/** `nn.init.calculate_gain`: the gain recommended for a nonlinearity (leaky_relu's param is the negative slope, default 0.01). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope))
        fail({ fn: 'calculateGain', argument: 'param', value: formatValue(param), rule: 'the negative slope must be a finite number' });
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      return fail({
        fn: 'calculateGain',
        argument: 'nonlinearity',
        value: formatValue(nonlinearity),
        rule: 'it must be one of linear, conv1d, conv2d, conv3d, sigmoid, tanh, relu, leaky_relu, selu',
      });
  }
}

/** `(fanIn, fanOut)` of a weight `[out, in, *kernel]` (PyTorch's `_calculate_fan_in_and_fan_out`). */
export function calculateFans(t: Tensor, fn = 'init'): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) fail({ fn, argument: 'tensor', value: `of shape ${formatShape(t.shape)}`, rule: 'fan in and fan out need at least 2 dimensions' });
  const receptive = t.shape.slice(2).reduce((p, d) => p * d, 1);
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

/** `nn.init.uniform_(t, a, b)`: U(a, b). */
export function uniform_<T extends Tensor>(t: T, a = 0, b = 1, options: InitOptions = {}): T {
  const data = floatTarget(t, 'uniform_');
  if (!(a <= b)) fail({ fn: 'uniform_', argument: 'b', value: formatValue(b), rule: `it must be ≥ a (${a})` });
  const rng = options.generator ?? defaultGenerator();
  noGrad(() => {
    for (let i = 0; i < data.length; i++) data[i] = rng.uniform(a, b);
  });
  return t;
}

/** `nn.init.normal_(t, mean, std)`: N(mean, std²). */
export function normal_<T extends Tensor>(t: T, mean = 0, std = 1, options: InitOptions = {}): T {
  const data = floatTarget(t, 'normal_');
  if (!(std >= 0)) fail({ fn: 'normal_', argument: 'std', value: formatValue(std), rule: 'it must be ≥ 0' });
  const rng = options.generator ?? defaultGenerator();
  noGrad(() => {
    for (let i = 0; i < data.length; i++) data[i] = mean + std * rng.standardNormal();
  });
  return t;
}

/** `nn.init.constant_(t, value)`. */
export function constant_<T extends Tensor>(t: T, value: number): T {
  floatTarget(t, 'constant_').fill(value);
  return t;
}

/** `nn.init.zeros_(t)`. */
export function zeros_<T extends Tensor>(t: T): T {
  return constant_(t, 0);
}

/** `nn.init.ones_(t)`. */
export function ones_<T extends Tensor>(t: T): T {
  return constant_(t, 1);
}

/** `nn.init.xavier_uniform_(t, gain)`: U(−b, b), b = gain·√(6 / (fanIn + fanOut)) (Glorot & Bengio 2010). */
export function xavierUniform_<T extends Tensor>(t: T, gain = 1, options: InitOptions = {}): T {
  const { fanIn, fanOut } = calculateFans(t, 'xavierUniform_');
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound, options);
}

/** `nn.init.xavier_normal_(t, gain)`: N(0, σ²), σ = gain·√(2 / (fanIn + fanOut)). */
export function xavierNormal_<T extends Tensor>(t: T, gain = 1, options: InitOptions = {}): T {
  const { fanIn, fanOut } = calculateFans(t, 'xavierNormal_');
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), options);
}

export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (default 0). */
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, fn: string, options: KaimingOptions): number {
  const { fanIn, fanOut } = calculateFans(t, fn);
  const mode = options.mode ?? 'fan_in';
  if (mode !== 'fan_in' && mode !== 'fan_out') fail({ fn, argument: 'mode', value: formatValue(mode), rule: "it must be 'fan_in' or 'fan_out'" });
  const fan = mode === 'fan_in' ? fanIn : fanOut;
  return calculateGain(options.nonlinearity ?? 'leaky_relu', options.a ?? 0) / Math.sqrt(fan);
}

/** `nn.init.kaiming_uniform_(t, a, mode, nonlinearity)`: U(−b, b), b = √3 · gain / √fan (He et al. 2015). */
export function kaimingUniform_<T extends Tensor>(t: T, options: KaimingOptions = {}): T {
  const bound = Math.sqrt(3) * kaimingStd(t, 'kaimingUniform_', options);
  return uniform_(t, -bound, bound, options);
}

/** `nn.init.kaiming_normal_(t, a, mode, nonlinearity)`: N(0, σ²), σ = gain / √fan. */
export function kaimingNormal_<T extends Tensor>(t: T, options: KaimingOptions = {}): T {
  return normal_(t, 0, kaimingStd(t, 'kaimingNormal_', options), options);
}
