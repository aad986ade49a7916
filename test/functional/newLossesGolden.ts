import { readFileSync } from 'node:fs';
import type { FloatDType } from '../../src/tensor/dtype.js';
import type { FlatTensor, JsonNumber } from './regressionGolden.js';

/** One case of scripts/golden_torch_poisson_soft_margin.py. */
export interface NewLossCase {
  name: string;
  loss: 'poisson-nll' | 'soft-margin';
  dtype: FloatDType;
  options: { reduction: 'none' | 'mean' | 'sum'; logInput?: boolean; full?: boolean; eps?: number };
  input: FlatTensor;
  target: FlatTensor;
  value: FlatTensor;
  grad_input: FlatTensor;
  grad_target?: FlatTensor;
}

export interface NewLossGolden {
  versions: Record<string, string>;
  cases: NewLossCase[];
  softMarginOverflow: { dtype: FloatDType; input: FlatTensor; target: FlatTensor; value: FlatTensor; grad_input: FlatTensor }[];
  densities: { id: 'poisson-nll' | 'soft-margin'; y: number; yHat: number; params: { logInput?: boolean }; density: JsonNumber }[];
}

export function loadNewLossGolden(): NewLossGolden {
  return JSON.parse(readFileSync(new URL('../golden/torch_poisson_soft_margin.json', import.meta.url), 'utf8')) as NewLossGolden;
}
