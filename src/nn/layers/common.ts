import { fail, formatValue } from '../../errors.js';
import { allocate, type FloatDType } from '../../tensor/dtype.js';
import type { RandomState } from '../../tensor/random.js';
import { Parameter } from '../parameter.js';

/** Options every layer with weights takes: the dtype of its parameters and the generator of their initial values. */
export interface LayerOptions<D extends FloatDType = 'float32'> {
  /** `'float32'` (default, PyTorch's) or `'float64'`. */
  dtype?: D;
  /** Draws the initial weights (default: the nn generator, `manualSeed`). */
  generator?: RandomState;
}

export function checkDType(fn: string, dtype: string): FloatDType {
  if (dtype !== 'float32' && dtype !== 'float64') fail({ fn, argument: 'dtype', value: formatValue(dtype), rule: "it must be 'float32' or 'float64'" });
  return dtype;
}

export function checkPositiveInt(fn: string, argument: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) fail({ fn, argument, value: formatValue(v), rule: 'it must be a positive integer' });
  return v;
}

/** A zero-filled parameter of `shape`. */
export function emptyParameter<D extends FloatDType>(dtype: D, shape: readonly number[]): Parameter<D> {
  return new Parameter<D>(
    allocate(
      dtype,
      shape.reduce((p, d) => p * d, 1),
    ),
    shape,
  );
}
