import { fail, formatValue } from '../errors.js';
import { crossEntropy } from '../functional/crossEntropy.js';
import { Sequential } from '../nn/containers.js';
import { gradientReversal } from '../nn/functional/activation.js';
import { manualSeed } from '../nn/generator.js';
import { Flatten, ReLU } from '../nn/layers/activation.js';
import { Conv2d } from '../nn/layers/conv.js';
import { Linear } from '../nn/layers/linear.js';
import { GroupNorm } from '../nn/layers/normalization.js';
import { AdaptiveAvgPool2d } from '../nn/layers/pooling.js';
import { Adam } from '../optim/adam.js';
import { noGrad } from '../autograd/gradMode.js';
import { add, mul } from '../tensor/ops/elementwise.js';
import { cat, narrow } from '../tensor/ops/indexing.js';
import { Tensor } from '../tensor/tensor.js';
import { coralTensor, mkMmdTensor } from './ops.js';
import { ganinLambda } from './penalties.js';

/**
 * Unsupervised domain adaptation on losslab's neural-network stack (`src/nn`, `src/optim`): labelled
 * source rows and unlabelled target rows, one batch of each per `step()`.
 *
 *   source-only  CE(classifier(f_s), y_s)
 *   dann         + CE(discriminator(GRL_λ(f)), d), d = 0 source / 1 target, λ_p = 2/(1 + e^(−10p)) − 1,
 *                p = step / totalSteps (Ganin & Lempitsky 2015; discriminator = DomainBed's MLP F → 256 → 256 → 2)
 *   deep-coral   + tradeOff · CORAL(f_s, f_t)           (Sun & Saenko 2016, DomainBed / tllib definition)
 *   dan          + tradeOff · MK-MMD(f_s, f_t)          (Long et al. 2015, tllib's linear estimate, 5 Gaussian kernels)
 *
 * f = featurizer(cat(x_s, x_t)) — one forward for both, so normalisation statistics see both domains.
 * Featurizers: `mlp` = Flatten → Linear(in, 256) → ReLU → Linear(256, 256) → ReLU (256 features);
 * `cnn` = DomainBed's MNIST_CNN (4 conv layers 64-128-128-128, ReLU + GroupNorm(8), global average
 * pool; 128 features). Classifier Linear(F, classes). One Adam over all parameters (lr 1e-3, betas
 * (0.5, 0.9): DomainBed's DANN settings for small images; the other methods use the same so only the
 * transfer term differs). `bench/peers/dann_rotated.py` is the PyTorch twin.
 */
export type AdaptationMethod = 'source-only' | 'dann' | 'deep-coral' | 'dan';
export const ADAPTATION_METHODS: readonly AdaptationMethod[] = ['source-only', 'dann', 'deep-coral', 'dan'];

export interface AdaptationTrainerOptions {
  readonly method: AdaptationMethod;
  /** `[C, H, W]` for images (required by `cnn`), `[features]` otherwise. */
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  readonly model?: 'mlp' | 'cnn';
  readonly lr?: number;
  /** Weight of the CORAL / MK-MMD term (tllib's trade-off, default 1). */
  readonly tradeOff?: number;
  /** Steps of the whole run, for Ganin's λ schedule. */
  readonly totalSteps: number;
  readonly seed?: number;
  /** Width of the MLP featurizer's layers and of the discriminator's hidden layers (default 256, DomainBed's mlp_width). */
  readonly width?: number;
}

export interface AdaptationStepMetrics {
  readonly step: number;
  readonly loss: number;
  readonly classLoss: number;
  readonly transferLoss: number;
  readonly lambda: number;
}

/** Rows as a float32 tensor of shape `[n, ...inputShape]`. */
function batchTensor(x: Float32Array, n: number, inputShape: readonly number[]): Tensor<'float32'> {
  return new Tensor<'float32'>(x, [n, ...inputShape]);
}

export class AdaptationTrainer {
  readonly featurizer: Sequential;
  readonly classifier: Linear;
  readonly discriminator: Sequential | null;
  readonly options: Required<AdaptationTrainerOptions>;
  private readonly optimizer: Adam;
  private stepCount = 0;

  constructor(options: AdaptationTrainerOptions) {
    const fn = 'AdaptationTrainer';
    if (!ADAPTATION_METHODS.includes(options.method))
      fail({ fn, argument: 'method', value: formatValue(options.method), rule: `it must be one of ${ADAPTATION_METHODS.join(', ')}` });
    if (!(Number.isInteger(options.totalSteps) && options.totalSteps >= 1))
      fail({ fn, argument: 'totalSteps', value: formatValue(options.totalSteps), rule: 'it must be a positive integer' });
    this.options = { model: 'mlp', lr: 1e-3, tradeOff: 1, seed: 0, width: 256, ...options };
    const w = this.options.width;
    const shape = this.options.inputShape;
    if (this.options.model === 'cnn' && shape.length !== 3)
      fail({ fn, argument: 'inputShape', value: formatValue([...shape]), rule: 'the CNN needs images [C, H, W]' });
    manualSeed(this.options.seed);
    let features: number;
    if (this.options.model === 'cnn') {
      this.featurizer = new Sequential(
        new Conv2d(shape[0], 64, 3, { padding: 1 }),
        new ReLU(),
        new GroupNorm(8, 64),
        new Conv2d(64, 128, 3, { stride: 2, padding: 1 }),
        new ReLU(),
        new GroupNorm(8, 128),
        new Conv2d(128, 128, 3, { padding: 1 }),
        new ReLU(),
        new GroupNorm(8, 128),
        new Conv2d(128, 128, 3, { padding: 1 }),
        new ReLU(),
        new GroupNorm(8, 128),
        new AdaptiveAvgPool2d(1),
        new Flatten(),
      );
      features = 128;
    } else {
      const inputs = shape.reduce((p, s) => p * s, 1);
      this.featurizer = new Sequential(new Flatten(), new Linear(inputs, w), new ReLU(), new Linear(w, w), new ReLU());
      features = w;
    }
    this.classifier = new Linear(features, options.numClasses);
    this.discriminator = options.method === 'dann' ? new Sequential(new Linear(features, w), new ReLU(), new Linear(w, w), new ReLU(), new Linear(w, 2)) : null;
    const params = [...this.featurizer.parameters(), ...this.classifier.parameters(), ...(this.discriminator?.parameters() ?? [])];
    this.optimizer = new Adam(params, { lr: this.options.lr, betas: [0.5, 0.9] });
  }

  get steps(): number {
    return this.stepCount;
  }

  /** One update on a labelled source batch and an unlabelled target batch (float32 rows). */
  step(source: { x: Float32Array; y: Int32Array; n: number }, target: { x: Float32Array; n: number }): AdaptationStepMetrics {
    const { method, inputShape, tradeOff, totalSteps } = this.options;
    const ns = source.n;
    const nt = target.n;
    if (method === 'dan' && ns !== nt)
      fail({ fn: 'AdaptationTrainer.step', argument: 'target', value: `${nt} rows`, rule: `DAN's estimate needs as many target rows as source rows (${ns})` });
    this.featurizer.train();
    const x = cat([batchTensor(source.x, ns, inputShape), batchTensor(target.x, nt, inputShape)], 0);
    const f = this.featurizer.forward(x) as Tensor<'float32'>;
    const fs = narrow(f, 0, 0, ns);
    const ys = new Tensor<'int32'>(source.y, [ns]);
    const classLoss = crossEntropy(this.classifier.forward(fs), ys);
    const lambda = ganinLambda(Math.min(1, this.stepCount / totalSteps));
    let transfer: Tensor<'float32'> | null = null;
    if (method === 'dann' && this.discriminator) {
      const d = new Int32Array(ns + nt).fill(1, ns);
      transfer = crossEntropy(this.discriminator.forward(gradientReversal(f, lambda)), new Tensor<'int32'>(d, [ns + nt])) as Tensor<'float32'>;
    } else if (method === 'deep-coral') {
      transfer = mul(coralTensor(fs, narrow(f, 0, ns, nt)), tradeOff) as Tensor<'float32'>;
    } else if (method === 'dan') {
      transfer = mul(mkMmdTensor(fs, narrow(f, 0, ns, nt), { linear: true }), tradeOff) as Tensor<'float32'>;
    }
    const loss = transfer ? add(classLoss, transfer) : classLoss;
    this.optimizer.zeroGrad();
    loss.backward();
    this.optimizer.step();
    this.stepCount++;
    return { step: this.stepCount, loss: loss.item(), classLoss: classLoss.item(), transferLoss: transfer ? transfer.item() : 0, lambda };
  }

  /** Features `[n, F]` of rows (evaluation mode, no graph). */
  features(x: Float32Array, n: number): Float32Array {
    this.featurizer.eval();
    return noGrad(() => {
      const out: Float32Array[] = [];
      for (let s = 0; s < n; s += 1000) {
        const m = Math.min(1000, n - s);
        const size = x.length / n;
        out.push(this.featurizer.forward(batchTensor(x.subarray(s * size, (s + m) * size), m, this.options.inputShape)).data as Float32Array);
      }
      const all = new Float32Array(out.reduce((t, a) => t + a.length, 0));
      let o = 0;
      for (const a of out) {
        all.set(a, o);
        o += a.length;
      }
      return all;
    });
  }

  /** Class logits `[n, classes]`. */
  predict(x: Float32Array, n: number): Float32Array {
    const f = this.features(x, n);
    return noGrad(() => this.classifier.forward(new Tensor<'float32'>(f, [n, f.length / n])).data as Float32Array);
  }

  score(x: Float32Array, y: Int32Array, n: number): number {
    const z = this.predict(x, n);
    const k = this.options.numClasses;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (z[i * k + c] > z[i * k + best]) best = c;
      if (best === y[i]) correct++;
    }
    return correct / n;
  }
}
