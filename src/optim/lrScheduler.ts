import { fail, formatValue } from '../errors.js';
/** What a scheduler needs of an optimizer: its parameter groups' learning rates. */
export interface ScheduledOptimizer {
  readonly paramGroups: { lr: number }[];
}

type AnyOptimizer = ScheduledOptimizer;

/**
 * The base of the learning-rate schedulers (`torch.optim.lr_scheduler.LRScheduler`): constructing
 * one records each group's initial lr and takes the first step (epoch 0); call `step()` after each
 * epoch (after `optimizer.step()`). The formulas are PyTorch's recursive ("chainable") ones, so
 * the lrs agree with PyTorch's to the last bit of float64 arithmetic.
 */
export abstract class LRScheduler {
  readonly optimizer: AnyOptimizer;
  readonly baseLrs: readonly number[];
  lastEpoch = -1;
  protected stepCount = 0;
  private lastLrs: number[] = [];

  constructor(optimizer: AnyOptimizer) {
    this.optimizer = optimizer;
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
  }

  /** Call at the end of the subclass constructor: PyTorch's initial step. */
  protected start(): void {
    this.step();
  }

  /** The lrs for `lastEpoch` given the groups' current lrs. */
  protected abstract computeLr(): number[];

  step(): void {
    this.stepCount++;
    this.lastEpoch++;
    const lrs = this.computeLr();
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = lrs[i];
    });
    this.lastLrs = lrs;
  }

  /** The lrs set by the last step (`get_last_lr()`). */
  getLastLr(): number[] {
    return [...this.lastLrs];
  }

  /** For checkpoints: the epoch and step count (the lrs themselves live in the optimizer's groups). */
  stateDict(): { lastEpoch: number; stepCount: number; lastLrs: number[] } {
    return { lastEpoch: this.lastEpoch, stepCount: this.stepCount, lastLrs: [...this.lastLrs] };
  }

  loadStateDict(s: { lastEpoch: number; stepCount: number; lastLrs: number[] }): void {
    this.lastEpoch = s.lastEpoch;
    this.stepCount = s.stepCount;
    this.lastLrs = [...s.lastLrs];
  }

  protected currentLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}

/** `StepLR(optimizer, stepSize, gamma = 0.1)`: lr × gamma every `stepSize` epochs. */
export class StepLR extends LRScheduler {
  constructor(
    optimizer: AnyOptimizer,
    readonly stepSize: number,
    readonly gamma = 0.1,
  ) {
    super(optimizer);
    if (!Number.isInteger(stepSize) || stepSize < 1)
      fail({ fn: 'StepLR', argument: 'stepSize', value: formatValue(stepSize), rule: 'it must be a positive integer' });
    if (typeof gamma !== 'number' || !Number.isFinite(gamma))
      fail({ fn: 'StepLR', argument: 'gamma', value: formatValue(gamma), rule: 'it must be a finite number' });
    this.start();
  }

  protected override computeLr(): number[] {
    const lrs = this.currentLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
}

/** `CosineAnnealingLR(optimizer, TMax, etaMin = 0)`: cosine from the base lr down to etaMin over TMax epochs (then back up). */
export class CosineAnnealingLR extends LRScheduler {
  constructor(
    optimizer: AnyOptimizer,
    readonly tMax: number,
    readonly etaMin = 0,
  ) {
    super(optimizer);
    if (!Number.isInteger(tMax) || tMax < 1)
      fail({ fn: 'CosineAnnealingLR', argument: 'tMax', value: formatValue(tMax), rule: 'it must be a positive integer' });
    this.start();
  }

  protected override computeLr(): number[] {
    const { lastEpoch: e, tMax: T, etaMin } = this;
    const lrs = this.currentLrs();
    if (e === 0) return lrs;
    if (this.stepCount === 1 && e > 0) return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    if ((e - 1 - T) % (2 * T) === 0) return lrs.map((lr, i) => lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    return lrs.map((lr) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - etaMin) + etaMin);
  }
}

/** `LambdaLR(optimizer, lrLambda)`: lr = base lr × lrLambda(epoch); one function, or one per group. */
export class LambdaLR extends LRScheduler {
  private readonly lambdas: readonly ((epoch: number) => number)[];

  constructor(optimizer: AnyOptimizer, lrLambda: ((epoch: number) => number) | readonly ((epoch: number) => number)[]) {
    super(optimizer);
    const groups = optimizer.paramGroups.length;
    this.lambdas = typeof lrLambda === 'function' ? Array.from({ length: groups }, () => lrLambda) : [...lrLambda];
    if (this.lambdas.length !== groups || this.lambdas.some((f) => typeof f !== 'function')) {
      fail({
        fn: 'LambdaLR',
        argument: 'lrLambda',
        value: `${this.lambdas.length} functions`,
        rule: `it must be one function or one per parameter group (${groups})`,
      });
    }
    this.start();
  }

  protected override computeLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.lambdas[i](this.lastEpoch));
  }
}
