import { describe, expect, it } from 'vitest';
import { ModuleList, Sequential } from '../../src/nn/containers.js';
import { Dropout, Flatten, ReLU } from '../../src/nn/layers/activation.js';
import { Conv2d } from '../../src/nn/layers/conv.js';
import { Linear } from '../../src/nn/layers/linear.js';
import { BatchNorm2d } from '../../src/nn/layers/normalization.js';
import { Module } from '../../src/nn/module.js';
import { Parameter } from '../../src/nn/parameter.js';
import { manualSeed } from '../../src/nn/generator.js';
import { mul, sum } from '../../src/tensor/ops/index.js';
import { Tensor, tensor } from '../../src/tensor/tensor.js';
import { loadNnGolden } from './goldenData.js';
import { lenet } from './models.js';

class Net extends Module {
  scale = new Parameter(tensor([2]));
  features = new Sequential(new Linear(4, 3), new ReLU());
  head = new Linear(3, 2);
  override forward(x: Tensor): Tensor {
    return mul(this.head.forward(this.features.forward(x)), this.scale);
  }
}

describe('Module', () => {
  it('finds parameters, children and modules in assignment order, with PyTorch’s names', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual(['scale', 'features.0.weight', 'features.0.bias', 'head.weight', 'head.bias']);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['features', 'head']);
    expect(net.namedModules().map(([n]) => n)).toEqual(['', 'features', 'features.0', 'features.1', 'head']);
    expect(net.parameters().every((p) => p.requiresGrad)).toBe(true);
    expect(Object.keys(net.stateDict())).toEqual(['scale', 'features.0.weight', 'features.0.bias', 'head.weight', 'head.bias']);
  });

  it('state dict keys are PyTorch’s (Sequential MLP, BatchNorm buffers, LeNet-5)', () => {
    const golden = loadNnGolden().modules;
    const mlp = golden.find((c) => c.kind === 'MLP');
    const mlpNet = new Sequential(new Linear(6, 5), new ReLU(), new Linear(5, 4), new ReLU(), new Linear(4, 3));
    expect(Object.keys(mlpNet.stateDict())).toEqual(Object.keys(mlp?.state ?? {}));
    const bn = golden.find((c) => c.kind === 'BatchNorm2d');
    expect(Object.keys(new BatchNorm2d(3).stateDict())).toEqual(Object.keys(bn?.state ?? {}));
    expect(Object.keys(lenet().stateDict())).toEqual([
      '0.weight',
      '0.bias',
      '3.weight',
      '3.bias',
      '7.weight',
      '7.bias',
      '9.weight',
      '9.bias',
      '11.weight',
      '11.bias',
    ]);
  });

  it('a shared module or parameter counts once', () => {
    const shared = new Linear(2, 2);
    const seq = new Sequential(shared, new ReLU(), shared);
    expect(seq.parameters().length).toBe(2);
    expect(Object.keys(seq.stateDict())).toEqual(['0.weight', '0.bias']);
  });

  it('train() / eval() reach every descendant and change Dropout', () => {
    const net = new Sequential(new Linear(3, 3), new Dropout(0.5));
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    const x = tensor([[1, 2, 3]]);
    const lin = net.at(0).forward(x);
    expect(Array.from(net.forward(x).data)).toEqual(Array.from(lin.data));
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
  });

  it('zeroGrad sets gradients to null (or zeros), apply visits children first', () => {
    const net = new Net();
    sum(net.forward(tensor([[1, 2, 3, 4]]))).backward();
    expect(net.head.weight.grad).not.toBeNull();
    net.zeroGrad(false);
    expect(Array.from(net.head.weight.grad?.data ?? [1])).toEqual([0, 0, 0, 0, 0, 0]);
    net.zeroGrad();
    expect(net.head.weight.grad).toBeNull();
    const order: string[] = [];
    net.apply((m) => order.push(m.constructor.name));
    expect(order).toEqual(['Linear', 'ReLU', 'Sequential', 'Linear', 'Net']);
  });

  it('loadStateDict copies in place, converts dtypes, and round-trips', () => {
    manualSeed(1);
    const a = new Net();
    manualSeed(2);
    const b = new Net();
    const weight = b.head.weight;
    b.loadStateDict(a.stateDict());
    expect(b.head.weight).toBe(weight);
    expect(Array.from(b.head.weight.data)).toEqual(Array.from(a.head.weight.data));
    const c = new Net().to('float64');
    expect(c.head.weight.dtype).toBe('float64');
    c.loadStateDict(a.stateDict());
    expect(Array.from(c.head.weight.data)).toEqual(Array.from(a.head.weight.data));
    const partial = { 'head.weight': a.head.weight };
    expect(new Net().loadStateDict(partial, { strict: false }).missingKeys).toContain('head.bias');
  });

  it('manualSeed makes initialisation reproducible', () => {
    manualSeed(42);
    const a = new Conv2d(2, 3, 3);
    manualSeed(42);
    const b = new Conv2d(2, 3, 3);
    expect(Array.from(a.weight.data)).toEqual(Array.from(b.weight.data));
  });

  it('ModuleList registers its items; toString shows the tree', () => {
    const list = new ModuleList([new Linear(2, 2), new Linear(2, 1)]);
    expect(list.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    expect([...list].length).toBe(2);
    expect(() => list.forward()).toThrow(/a ModuleList has no forward/);
    expect(new Sequential(new Linear(2, 2), new ReLU()).toString()).toBe(
      'Sequential(\n  (0): Linear(inFeatures=2, outFeatures=2, bias=true)\n  (1): ReLU()\n)',
    );
  });
});

describe('forward types', () => {
  it("layers and Sequential keep the input's dtype in the static type (no casts for Tensor<'float32'>)", () => {
    const model = new Sequential(new Conv2d(1, 2, 3), new ReLU(), new Flatten(), new Linear(2, 3), new Dropout(0.5));
    model.eval();
    const x = new Tensor<'float32'>(new Float32Array(9), [1, 1, 3, 3]);
    // static checks (npm run typecheck): the dtype flows through without a cast, and a wrong one is an error
    const y: Tensor<'float32'> = model.forward(x);
    // @ts-expect-error float32 in, so not float64 out
    const wrong: Tensor<'float64'> = model.forward(x);
    const y64: Tensor<'float64'> = new Linear(2, 3, { dtype: 'float64' }).forward(new Tensor<'float64'>(new Float64Array(2), [1, 2]));
    const ints: Tensor<'int32'> = new Flatten().forward(new Tensor<'int32'>(new Int32Array(4), [2, 2]));
    expect([wrong.dtype, y64.dtype, ints.dtype]).toEqual(['float32', 'float64', 'int32']);
    expect(y.dtype).toBe('float32');
    expect(y.shape).toEqual([1, 3]);
  });
});
