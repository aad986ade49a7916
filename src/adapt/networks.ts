import { noGrad } from '../autograd/gradMode.js';
import { fail, formatValue } from '../errors.js';
import { Sequential } from '../nn/containers.js';
import { Dropout, Flatten, ReLU } from '../nn/layers/activation.js';
import { Conv2d } from '../nn/layers/conv.js';
import { Linear } from '../nn/layers/linear.js';
import { GroupNorm } from '../nn/layers/normalization.js';
import { AdaptiveAvgPool2d } from '../nn/layers/pooling.js';
import type { Module } from '../nn/module.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * DomainBed's networks (`domainbed/networks.py`) on losslab's nn modules, and the helpers that let
 * any user `Module` serve as a featurizer.
 *
 *   mlp(nIn, nOut, { width, depth, dropout })   networks.MLP: Linear(nIn, w) → Dropout → ReLU →
 *                                               [Linear(w, w) → Dropout → ReLU] × (depth − 2) → Linear(w, nOut)
 *   mlpFeaturizer(inputShape, …)                Flatten → MLP(∏ inputShape, width, …) (DomainBed's
 *                                               Featurizer for 1-d inputs; images are flattened first)
 *   mnistCnn(inputShape)                        networks.MNIST_CNN: conv 64 → ReLU → GroupNorm(8) →
 *                                               conv 128 /2 → … → conv 128 → … → conv 128 → … →
 *                                               global average pool → 128 features
 *   linearClassifier(features, classes)         networks.Classifier (nonlinear_classifier = False)
 */
export interface MlpOptions {
  /** Hidden width (DomainBed's `mlp_width`, default 256). */
  readonly width?: number;
  /** Number of linear layers, at least 2 (DomainBed's `mlp_depth`, default 3). */
  readonly depth?: number;
  /** Dropout after each hidden linear layer (DomainBed's `mlp_dropout`, default 0). */
  readonly dropout?: number;
}

function positiveInt(fn: string, argument: string, v: number, min = 1): number {
  if (!(Number.isInteger(v) && v >= min)) fail({ fn, argument, value: formatValue(v), rule: `it must be an integer ≥ ${min}` });
  return v;
}

/** DomainBed's `networks.MLP(nIn, nOut, hparams)`. Its state-dict names are Sequential's (`0.weight`, …). */
export function mlp(nIn: number, nOut: number, options: MlpOptions = {}): Sequential {
  const fn = 'mlp';
  const width = positiveInt(fn, 'width', options.width ?? 256);
  const depth = positiveInt(fn, 'depth', options.depth ?? 3, 2);
  const p = options.dropout ?? 0;
  const layers: Module[] = [new Linear(positiveInt(fn, 'nIn', nIn), width)];
  if (p > 0) layers.push(new Dropout(p));
  layers.push(new ReLU());
  for (let i = 0; i < depth - 2; i++) {
    layers.push(new Linear(width, width));
    if (p > 0) layers.push(new Dropout(p));
    layers.push(new ReLU());
  }
  layers.push(new Linear(width, positiveInt(fn, 'nOut', nOut)));
  return new Sequential(...layers);
}

/** Flatten, then DomainBed's MLP with `width` outputs (its Featurizer for vector inputs). */
export function mlpFeaturizer(inputShape: readonly number[], options: MlpOptions = {}): Sequential {
  const inputs = inputShape.reduce((p, s) => p * s, 1);
  const width = options.width ?? 256;
  return new Sequential(new Flatten(), ...mlp(inputs, width, options).children());
}

/** DomainBed's `MNIST_CNN` (128 features) for `[C, H, W]` images. */
export function mnistCnn(inputShape: readonly number[]): Sequential {
  if (inputShape.length !== 3) fail({ fn: 'mnistCnn', argument: 'inputShape', value: formatValue([...inputShape]), rule: 'the CNN needs images [C, H, W]' });
  return new Sequential(
    new Conv2d(inputShape[0], 64, 3, { padding: 1 }),
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
}

/** DomainBed's linear `Classifier`. */
export function linearClassifier(features: number, classes: number): Linear {
  return new Linear(features, classes);
}

/** The featurizer's output width: one example of zeros through it, in evaluation mode, without a graph. */
export function featureCount(featurizer: Module, inputShape: readonly number[]): number {
  const size = inputShape.reduce((p, s) => p * s, 1);
  const wasTraining = featurizer.training;
  featurizer.eval();
  try {
    const out = noGrad(() => featurizer.forward(new Tensor<'float32'>(new Float32Array(size), [1, ...inputShape])));
    if (out.ndim !== 2 || out.shape[0] !== 1)
      fail({
        fn: 'featureCount',
        argument: 'featurizer',
        value: `an output of shape [${out.shape.join(', ')}]`,
        rule: 'a featurizer must map [n, ...inputShape] to features [n, F]',
        fix: 'End it with Flatten().',
      });
    return out.shape[1];
  } finally {
    featurizer.train(wasTraining);
  }
}
