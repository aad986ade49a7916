import { Sequential } from '../../src/nn/containers.js';
import { Flatten, ReLU } from '../../src/nn/layers/activation.js';
import { Conv2d } from '../../src/nn/layers/conv.js';
import { Linear } from '../../src/nn/layers/linear.js';
import { BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm } from '../../src/nn/layers/normalization.js';
import { MaxPool2d } from '../../src/nn/layers/pooling.js';
import type { Module } from '../../src/nn/module.js';
import type { FloatDType } from '../../src/tensor/dtype.js';

type Options = Record<string, never>;

/** The losslab module of a golden case, built with PyTorch's constructor arguments. */
export function buildModule(c: { kind: string; options: Record<string, unknown>; dtype: FloatDType }): Module {
  const o = c.options as Options;
  const dtype = c.dtype;
  switch (c.kind) {
    case 'Linear':
      return new Linear(o.inFeatures, o.outFeatures, { bias: o.bias, dtype });
    case 'Conv2d':
      return new Conv2d(o.inChannels, o.outChannels, o.kernelSize, { stride: o.stride, padding: o.padding, groups: o.groups, bias: o.bias, dtype });
    case 'BatchNorm2d':
      return new BatchNorm2d(o.numFeatures, { momentum: o.momentum, dtype });
    case 'BatchNorm1d':
      return new BatchNorm1d(o.numFeatures, { momentum: o.momentum, dtype });
    case 'GroupNorm':
      return new GroupNorm(o.numGroups, o.numChannels, { dtype });
    case 'LayerNorm':
      return new LayerNorm(o.normalizedShape, { dtype });
    case 'MLP': {
      const sizes = o.sizes as number[];
      const layers: Module[] = [];
      for (let i = 0; i + 1 < sizes.length; i++) {
        if (i > 0) layers.push(new ReLU());
        layers.push(new Linear(sizes[i], sizes[i + 1], { dtype }));
      }
      return new Sequential(...layers);
    }
    case 'LeNet':
      return lenet(dtype);
    default:
      throw new Error(`unknown module kind ${c.kind}`);
  }
}

/** LeNet-5 as d2l and the issue define it (conv 6@5×5 pad 2, pool, conv 16@5×5, pool, 120, 84, 10). */
export function lenet(dtype: FloatDType = 'float32'): Sequential {
  return new Sequential(
    new Conv2d(1, 6, 5, { padding: 2, dtype }),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(6, 16, 5, { dtype }),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(400, 120, { dtype }),
    new ReLU(),
    new Linear(120, 84, { dtype }),
    new ReLU(),
    new Linear(84, 10, { dtype }),
  );
}
