import { readFileSync } from 'node:fs';
import { decodeJsonNumber } from '../../src/data/jsonNumbers.js';

/** A number from golden JSON: finite numbers as they are, "Infinity"/"-Infinity"/"NaN" decoded. */
export function num(value: unknown): number {
  const decoded = decodeJsonNumber(value);
  if (decoded === undefined) throw new Error(`not a golden number: ${JSON.stringify(value)}`);
  return decoded;
}

export function nums(values: readonly unknown[]): number[] {
  return values.map(num);
}

/** test/golden/figures.json, written by scripts/golden_figures.py from PyTorch / NumPy / SciPy. */
export interface FiguresGolden {
  versions: Record<string, string>;
  d2l: { loss: 'l2' | 'l1' | 'huber'; peak: unknown; lossAtMinus5: unknown }[];
  regression: {
    loss: 'l2' | 'mse' | 'l1' | 'huber' | 'smooth-l1' | 'gaussian-nll';
    target: number;
    from: number;
    to: number;
    points: number;
    params: { delta?: number; beta?: number; sigma?: number };
    peak: unknown;
    argmaxPrediction: unknown;
    samples: { index: number; prediction: unknown; loss: unknown; gradient: unknown; likelihood: unknown }[];
  }[];
  crossEntropy: { logits: number[]; target: number; from: number; to: number; points: number; samples: ClassSample[] }[];
  bce: { target: number; from: number; to: number; points: number; samples: ClassSample[] }[];
  softmax: {
    logits: number[];
    temperature: number;
    expFloat64: unknown[];
    expFloat32: unknown[];
    naiveFloat64: unknown[];
    naiveFloat32: unknown[];
    stable: unknown[];
  }[];
  overflowThresholds: { float32: unknown; float64: unknown };
  explain: {
    example: { target: number; prediction: number };
    loss: Record<string, { value: unknown; gradient: unknown; density?: unknown; constant: unknown }>;
    softmax: {
      logits: number[];
      target: number;
      exps: unknown[];
      probs: unknown[];
      lowT: number;
      lowProbs: unknown[];
      highT: number;
      highProbs: unknown[];
      loss: unknown;
      logsumexp: unknown;
      gradient: unknown[];
      bigLogits: number[];
      bigStable: unknown[];
    };
    bce: { target: number; logit: number; value: unknown; gradient: unknown; probability: unknown }[];
  };
}

export interface ClassSample {
  index: number;
  logit: unknown;
  loss: unknown;
  probability: unknown;
  gradient: unknown;
}

export const golden: FiguresGolden = JSON.parse(readFileSync(new URL('../golden/figures.json', import.meta.url), 'utf8'));

/** |a − b| ≤ atol + rtol·|b|, with NaN equal to NaN and infinities equal to themselves. */
export function close(a: number, b: number, rtol = 1e-9, atol = 1e-12): boolean {
  if (Number.isNaN(b)) return Number.isNaN(a);
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}
