import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { FloatDType } from '../../src/tensor/dtype.js';
import { decodeJsonNumber, type JsonNumber } from '../../src/data/jsonNumbers.js';
import { fromTypedArray, type Tensor } from '../../src/tensor/tensor.js';

/** test/golden/torch_nn.json, made by scripts/golden_torch_nn.py. */
export type { JsonNumber };

export interface GoldenInput {
  shape: number[];
  dtype: FloatDType | 'int32';
  values: JsonNumber[];
  requiresGrad: boolean;
}

export interface OpCase {
  name: string;
  fn: string;
  dtype: FloatDType;
  options: Record<string, unknown>;
  inputs: GoldenInput[];
  outputs: { shape: number[]; values: JsonNumber[] }[];
  gradOutput: JsonNumber[];
  grads: (JsonNumber[] | null)[];
}

export interface DoubleCase {
  name: string;
  kind: 'bce' | 'ce' | 'logsoftmax';
  dtype: FloatDType;
  tensors: Record<string, { shape: number[]; values: JsonNumber[] }>;
  loss: JsonNumber;
  penalty: JsonNumber;
  grads: Record<string, JsonNumber[]>;
}

export interface GradSummary {
  sum: JsonNumber;
  sumSq: JsonNumber;
  samples: [number, JsonNumber][];
}

export interface ModuleStep {
  input: JsonNumber[];
  output: JsonNumber[];
  outputShape: number[];
  gradOutput: JsonNumber[];
  inputGrad: JsonNumber[];
  paramGrads: Record<string, JsonNumber[] | GradSummary>;
}

export interface ModuleCase {
  name: string;
  kind: string;
  dtype: FloatDType;
  options: Record<string, unknown>;
  inputShape: number[];
  state: Record<string, { shape: number[]; values: JsonNumber[]; dtype: FloatDType | 'int32' }> | null;
  formulaInit: boolean;
  steps: ModuleStep[];
  stateAfter?: Record<string, JsonNumber[]>;
  eval?: { input: JsonNumber[]; output: JsonNumber[] };
}

export interface NnGolden {
  torch: string;
  cases: OpCase[];
  double: DoubleCase[];
  modules: ModuleCase[];
}

let cached: NnGolden | null = null;

export function loadNnGolden(): NnGolden {
  cached ??= JSON.parse(readFileSync(new URL('../golden/torch_nn.json', import.meta.url), 'utf8')) as NnGolden;
  return cached;
}

/** A golden number, non-finite values decoded by the one codec (src/data/jsonNumbers.ts). */
export function decode(v: JsonNumber): number {
  return decodeJsonNumber(v);
}

export function makeTensor(values: readonly JsonNumber[], shape: readonly number[], dtype: FloatDType | 'int32', requiresGrad = false): Tensor<FloatDType> {
  const data =
    dtype === 'int32' ? Int32Array.from(values, decode) : dtype === 'float32' ? Float32Array.from(values, decode) : Float64Array.from(values, decode);
  // int32 index tensors go through the same helper; float-typed so they pass to the losses' generic signatures
  return fromTypedArray(data, shape, { requiresGrad }) as Tensor<FloatDType>;
}

/** Tolerances against PyTorch: relative, plus an absolute part scaled by the largest expected magnitude (sums of many terms). */
export const NN_TOLERANCE: Record<FloatDType, { rtol: number; atol: number }> = {
  float64: { rtol: 1e-12, atol: 1e-13 },
  float32: { rtol: 1e-5, atol: 2e-6 },
};

/** Largest error seen, per dtype, as |a − e| / (1 + |e|) — reported by the tests. */
export const worstError: Record<FloatDType, number> = { float32: 0, float64: 0 };

export function expectCloseTo(actual: ArrayLike<number>, expected: readonly JsonNumber[], dtype: FloatDType, what: string, scale = 1): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let maxAbs = 0;
  for (const v of expected) {
    const d = Math.abs(decode(v));
    if (Number.isFinite(d) && d > maxAbs) maxAbs = d;
  }
  const { rtol, atol } = NN_TOLERANCE[dtype];
  const abs = atol * Math.max(1, maxAbs) * scale;
  for (let i = 0; i < expected.length; i++) {
    const e = decode(expected[i]);
    const a = actual[i];
    if (Number.isNaN(e)) {
      if (!Number.isNaN(a)) expect.fail(`${what}[${i}]: got ${a}, PyTorch NaN`);
      continue;
    }
    if (!Number.isFinite(e)) {
      if (a !== e) expect.fail(`${what}[${i}]: got ${a}, PyTorch ${e}`);
      continue;
    }
    const err = Math.abs(a - e);
    worstError[dtype] = Math.max(worstError[dtype], err / (1 + Math.abs(e)));
    if (!(err <= abs + rtol * Math.abs(e)))
      expect.fail(`${what}[${i}]: got ${a}, PyTorch ${e} (|Δ| ${err.toExponential(2)} > ${abs.toExponential(2)} + ${rtol}·|e|)`);
  }
}
