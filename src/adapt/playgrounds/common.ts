import { domainRows, type DomainDataset } from '../../data/domainDataset.js';
import type { RandomState } from '../../tensor/random.js';

/**
 * Shared pieces of the web lab's domain-shift playgrounds (src/adapt/playgrounds/): each playground
 * is a platform-free object a caller (the Web Worker of the domain page, a test, a script) drives one
 * `step()` at a time and reads `evaluate()` / `snapshot()` from. They build their models and run
 * their updates with the same `src/adapt` trainers as `losslab adapt`.
 */

/** One evaluation: accuracy per domain (index = domain), and the step's named loss terms. */
export interface PlaygroundPoint {
  readonly step: number;
  readonly accuracy: readonly number[];
  readonly terms: Readonly<Record<string, number>>;
}

/** Cycles through rows in reshuffled passes, `size` at a time. */
export class RowSampler {
  private order: Int32Array;
  private cursor = 0;

  constructor(
    private readonly rows: Int32Array,
    readonly size: number,
    private readonly rng: RandomState,
  ) {
    this.order = rng.permutation(rows.length);
  }

  next(): Int32Array {
    const out = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      if (this.cursor >= this.order.length) {
        this.order = this.rng.permutation(this.rows.length);
        this.cursor = 0;
      }
      out[i] = this.rows[this.order[this.cursor++]];
    }
    return out;
  }
}

/** Float32 inputs of rows (bytes × scale, as `x.astype(float32) / 255`). */
export function rowInputs(data: DomainDataset, rows: ArrayLike<number>): Float32Array {
  const d = data.features;
  const out = new Float32Array(rows.length * d);
  const scale = Math.fround(data.scale);
  const x = data.x;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (x instanceof Uint8Array) for (let j = 0; j < d; j++) out[i * d + j] = Math.fround(x[r * d + j] * scale);
    else out.set(x.subarray(r * d, (r + 1) * d), i * d);
  }
  return out;
}

/** Labels of rows. */
export function rowLabels(data: DomainDataset, rows: ArrayLike<number>): Int32Array {
  return Int32Array.from(rows, (r) => data.y[r]);
}

/** The rows of every domain. */
export function rowsByDomain(data: DomainDataset): Int32Array[] {
  return data.domainNames.map((_, d) => domainRows(data, d));
}

/** Accuracy of class logits `[n, k]` (k = 1: one logit, positive = class 1). */
export function logitAccuracy(z: ArrayLike<number>, y: ArrayLike<number>, k: number): number {
  const n = y.length;
  if (n === 0) return Number.NaN;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let pred = 0;
    if (k === 1) pred = z[i] > 0 ? 1 : 0;
    else for (let c = 1; c < k; c++) if (z[i * k + c] > z[i * k + pred]) pred = c;
    if (pred === y[i]) correct++;
  }
  return correct / n;
}

/** An example image of a domain (bytes; `[2, side, side]` for colour images, `[side, side]` grey). */
export interface PlaygroundExample {
  readonly pixels: Uint8Array;
  readonly channels: 1 | 2;
  readonly side: number;
  readonly domain: number;
  readonly label: number;
}

/** What the lab's worker needs from any playground. */
export interface Playground {
  readonly domainNames: readonly string[];
  /** Domains scored but not trained on (held-out test domains, or the unlabelled target). */
  readonly testDomains: readonly number[];
  readonly totalSteps: number;
  readonly stepsTaken: number;
  readonly done: boolean;
  step(): Readonly<Record<string, number>>;
  evaluate(): PlaygroundPoint;
  /** A few example images per domain (image playgrounds; empty otherwise). */
  examples(): PlaygroundExample[];
}

/** A few rows of each domain as example images (the first `perDomain` rows of each). */
export function domainExamples(data: DomainDataset, perDomain: number): PlaygroundExample[] {
  if (!(data.x instanceof Uint8Array) || data.inputShape.length !== 3) return [];
  const [channels, side] = data.inputShape;
  const out: PlaygroundExample[] = [];
  rowsByDomain(data).forEach((rows, domain) => {
    for (const r of rows.subarray(0, perDomain)) {
      out.push({
        pixels: (data.x as Uint8Array).slice(r * data.features, (r + 1) * data.features),
        channels: channels === 2 ? 2 : 1,
        side,
        domain,
        label: data.y[r],
      });
    }
  });
  return out;
}
