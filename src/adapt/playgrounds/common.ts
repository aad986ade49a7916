import { domainRows, type DomainDataset } from '../../data/domainDataset.js';
import type { HparamValue } from '../hparams.js';
import { DomainTrainer, type DomainTrainerOptions } from '../trainer.js';

/**
 * Shared pieces of the web lab's domain-shift playgrounds (src/adapt/playgrounds/): each playground
 * is a `DomainTrainer` — the trainer of `losslab adapt` — on a small `DomainDataset`, which a caller
 * (the domain page's Web Worker, a test, a script) drives one `step()` at a time, reading
 * `evaluate()` (the accuracy of every domain's rows) between steps.
 */

/** One evaluation: accuracy per domain (index = domain), and the last step's named loss terms. */
export interface PlaygroundPoint {
  readonly step: number;
  readonly accuracy: readonly number[];
  readonly terms: Readonly<Record<string, number>>;
}

/** An example image of a domain (bytes; `[2, side, side]` for colour images, `[side, side]` grey). */
export interface PlaygroundExample {
  readonly pixels: Uint8Array;
  readonly channels: 1 | 2;
  readonly side: number;
  readonly domain: number;
  readonly label: number;
}

/** The rows of every domain. */
export function rowsByDomain(data: DomainDataset): Int32Array[] {
  return data.domainNames.map((_, d) => domainRows(data, d));
}

/**
 * A `DomainTrainer` on a dataset with the rows of each domain scored at `evaluate()`. Subclasses
 * build the dataset and the trainer's options.
 */
export class Playground {
  readonly trainer: DomainTrainer;
  readonly data: DomainDataset;
  protected readonly rows: Int32Array[];
  private last: Readonly<Record<string, number>> = {};

  constructor(data: DomainDataset, options: DomainTrainerOptions) {
    this.data = data;
    this.rows = rowsByDomain(data);
    this.trainer = new DomainTrainer(data, options);
  }

  get domainNames(): readonly string[] {
    return this.data.domainNames;
  }

  /** Domains scored but not trained on with labels (held-out test domains and unlabelled targets). */
  get testDomains(): readonly number[] {
    return [...this.trainer.testDomains, ...this.trainer.targetDomains];
  }

  get totalSteps(): number {
    return this.trainer.steps;
  }

  get stepsTaken(): number {
    return this.trainer.stepsTaken;
  }

  get done(): boolean {
    return this.trainer.done;
  }

  /** One update; returns the algorithm's loss terms (DomainBed's dict: nll, penalty, λ, …). */
  step(): Readonly<Record<string, number>> {
    const r = this.trainer.step();
    this.last = { loss: r.loss, ...r.terms };
    return this.last;
  }

  /** Accuracy of every row of each domain (the target's hidden labels are used for scoring only). */
  evaluate(): PlaygroundPoint {
    return { step: this.trainer.stepsTaken, accuracy: this.rows.map((rows) => this.trainer.accuracy(rows)), terms: { ...this.last } };
  }

  /** A few example images per domain (image playgrounds; none otherwise). */
  examples(perDomain = 4): PlaygroundExample[] {
    const data = this.data;
    if (!(data.x instanceof Uint8Array) || data.inputShape.length !== 3) return [];
    const bytes = data.x;
    const [channels, side] = data.inputShape;
    return this.rows.flatMap((rows, domain) =>
      Array.from(rows.subarray(0, perDomain), (r) => ({
        pixels: bytes.slice(r * data.features, (r + 1) * data.features),
        channels: channels === 2 ? (2 as const) : (1 as const),
        side,
        domain,
        label: data.y[r],
      })),
    );
  }
}

export type Hparams = Readonly<Record<string, HparamValue>>;
