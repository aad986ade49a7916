import { readFileSync } from 'node:fs';
import type { FloatDType } from '../../src/tensor/dtype.js';
import { fromTypedArray, type Tensor } from '../../src/tensor/tensor.js';
import { decodeJsonNumber, type JsonNumber } from '../../src/data/jsonNumbers.js';

/** A number in golden JSON: non-finite values are the strings "Infinity", "-Infinity", "NaN". */
export type { JsonNumber };

/** A tensor in test/golden/torch_regression.json: its shape and flat row-major data. */
export interface FlatTensor {
  shape: number[];
  data: JsonNumber[];
}

/** One case of scripts/golden_torch_regression.py. */
export interface RegressionCase {
  name: string;
  loss: 'mse' | 'l2' | 'l1' | 'huber' | 'smooth-l1' | 'bce-with-logits' | 'gaussian-nll';
  dtype: FloatDType;
  options: { reduction: 'none' | 'mean' | 'sum'; delta?: number; beta?: number; full?: boolean; eps?: number };
  input: FlatTensor;
  target: FlatTensor;
  value: FlatTensor;
  grad_input: FlatTensor;
  grad_target?: FlatTensor;
  weight?: FlatTensor;
  pos_weight?: FlatTensor;
  var?: FlatTensor;
  grad_var?: FlatTensor;
}

export interface RegressionGolden {
  versions: Record<string, string>;
  skipped: { case: string; reason: string }[];
  cases: RegressionCase[];
}

export interface LikelihoodGolden {
  versions: Record<string, string>;
  special: { x: JsonNumber[]; erf: JsonNumber[]; erfc: JsonNumber[] };
  normalizers: { huber: { delta: number; Z: number }[]; 'smooth-l1': { beta: number; Z: number }[] };
  densities: { id: string; y: number; yHat: number; params: { sigma?: number }; density: JsonNumber }[];
}

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../golden/${name}`, import.meta.url), 'utf8')) as T;
}

export const loadRegressionGolden = (): RegressionGolden => load('torch_regression.json');
export const loadLikelihoodGolden = (): LikelihoodGolden => load('scipy_likelihood.json');

export const decode = (v: JsonNumber): number => decodeJsonNumber(v);

/** A fresh leaf tensor of `dtype` from a golden tensor. */
export function toTensor(t: FlatTensor, dtype: FloatDType, requiresGrad = false): Tensor<FloatDType> {
  return dtype === 'float32'
    ? fromTypedArray(Float32Array.from(t.data, decode), t.shape, { requiresGrad })
    : fromTypedArray(Float64Array.from(t.data, decode), t.shape, { requiresGrad });
}

/** The tolerances: float64 ~1e-12 relative, float32 ~1e-5 relative, absolute near zero. */
export const TOLERANCE: Record<FloatDType, { rtol: number; atol: number }> = {
  float64: { rtol: 1e-12, atol: 1e-14 },
  float32: { rtol: 1e-5, atol: 1e-6 },
};

/**
 * Compares actual values with expected golden values: NaN only with NaN, ±∞ exactly, finite values
 * within `atol + rtol·|expected|`. Returns a description of the first mismatch, or null.
 */
export function mismatch(actual: ArrayLike<number>, expected: FlatTensor, tol: { rtol: number; atol: number }): string | null {
  if (actual.length !== expected.data.length) return `length ${actual.length} ≠ ${expected.data.length}`;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = decode(expected.data[i]);
    const ok = Number.isNaN(e) ? Number.isNaN(a) : Number.isFinite(e) ? Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e) : a === e;
    if (!ok) return `element ${i}: got ${a}, PyTorch ${e}`;
  }
  return null;
}
