import { readFileSync } from 'node:fs';

/** test/golden/training.json, written by scripts/golden_training.py (PyTorch + scikit-learn). */
export interface TrainingGolden {
  versions: Record<string, string>;
  loss: { name: string; sizes: number[]; X: number[]; y: number[]; params: number[][]; loss: number; grads: number[][] }[];
  optimizer: {
    n: number;
    features: number;
    classes: number;
    batchSize: number;
    X: number[];
    y: number[];
    W0: number[];
    orders: number[][];
    cases: {
      name: string;
      optimizer: {
        name: 'sgd' | 'adam';
        lr: number;
        momentum?: number;
        weightDecay?: number;
        nesterov?: boolean;
        dampening?: number;
        betas?: [number, number];
        eps?: number;
      };
      W: number[];
      b: number[];
      epochLoss: number[];
    }[];
  };
  metrics: {
    numClasses: number;
    yTrue: number[];
    yPred: number[];
    accuracy: number;
    confusion: number[][];
    precision: number[];
    recall: number[];
    f1: number[];
    support: number[];
  }[];
}

export const golden = JSON.parse(readFileSync(new URL('../golden/training.json', import.meta.url), 'utf8')) as TrainingGolden;

/** Largest |a − b| / (atol + rtol·|b|); ≤ 1 means every pair is within tolerance. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} !== ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    const r = diff === 0 ? 0 : diff / (atol + rtol * Math.abs(expected[i]));
    if (!(r <= worst)) worst = Number.isNaN(r) ? Infinity : Math.max(worst, r);
  }
  return worst;
}
