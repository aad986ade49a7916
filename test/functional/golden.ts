import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { FloatDType } from '../../src/tensor/dtype.js';
import { fromTypedArray, type Tensor } from '../../src/tensor/tensor.js';
import { decodeJsonNumber, type JsonNumber } from '../../src/data/jsonNumbers.js';

/** One case of test/golden/torch_softmax.json (made by scripts/golden_torch_softmax.py). */
export interface GoldenCase {
  name: string;
  fn: 'softmax' | 'logSoftmax' | 'logSumExp' | 'crossEntropy' | 'nllLoss' | 'klDiv';
  dtype: FloatDType;
  input: JsonNumber[];
  shape: number[];
  options: Record<string, number | string | boolean>;
  value: JsonNumber[];
  valueShape: number[];
  grad: JsonNumber[];
  gradOutput: JsonNumber[];
  vjp: JsonNumber[];
  target?: JsonNumber[];
  targetShape?: number[];
  targetKind?: 'indices' | 'probabilities';
  weight?: JsonNumber[];
}

export type { JsonNumber };

export interface GoldenFile {
  torch: string;
  skipped: { name: string; dtype: string; reason: string }[];
  cases: GoldenCase[];
}

export function loadGolden(): GoldenFile {
  const url = new URL('../golden/torch_softmax.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as GoldenFile;
}

export const decode = (v: JsonNumber): number => decodeJsonNumber(v);

export function floatTensor(values: JsonNumber[], shape: number[], dtype: FloatDType, requiresGrad = false): Tensor {
  const data = dtype === 'float32' ? Float32Array.from(values, decode) : Float64Array.from(values, decode);
  return fromTypedArray(data, shape, { requiresGrad });
}

export function goldenTarget(c: GoldenCase): Tensor {
  const values = c.target ?? [];
  const shape = c.targetShape ?? [];
  if (c.targetKind === 'indices') return fromTypedArray(Int32Array.from(values, decode), shape);
  return floatTensor(values, shape, c.dtype);
}

/** Tolerances of the issue: float64 ~1e-12 relative, float32 ~1e-5 relative, small absolute near zero. */
export const TOLERANCE: Record<FloatDType, { rtol: number; atol: number }> = {
  float64: { rtol: 1e-12, atol: 1e-14 },
  float32: { rtol: 1e-5, atol: 1e-6 },
};

/** Element-wise |actual − expected| ≤ atol + rtol·|expected|; NaN matches NaN, ±∞ match exactly. */
export function expectClose(actual: ArrayLike<number>, expected: readonly JsonNumber[], dtype: FloatDType, what: string): void {
  const { rtol, atol } = TOLERANCE[dtype];
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = decode(expected[i]);
    const a = actual[i];
    const ok = Number.isNaN(e) ? Number.isNaN(a) : !Number.isFinite(e) ? a === e : Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) expect.fail(`${what}[${i}]: got ${a}, PyTorch ${e} (rtol ${rtol}, atol ${atol})`);
  }
}
