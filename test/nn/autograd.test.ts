import { describe, expect, it } from 'vitest';
import { enableGrad, isGradEnabled, noGrad } from '../../src/autograd/gradMode.js';
import { backward, grad } from '../../src/tensor/grad.js';
import { add, exp, mul, relu, sum } from '../../src/tensor/ops/index.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';

const f64 = (v: number[], g = true) => tensor(v, { dtype: 'float64', requiresGrad: g });
const values = (t: Tensor | null): number[] => Array.from(t?.data ?? []);

describe('autograd semantics (PyTorch’s)', () => {
  it('backward accumulates into .grad across calls, as PyTorch', () => {
    const x = f64([1, 2]);
    sum(mul(x, x)).backward();
    sum(mul(x, 3)).backward();
    expect(values(x.grad)).toEqual([2 + 3, 4 + 3]);
  });

  it('a tensor used twice gets the sum of both paths', () => {
    const x = f64([3]);
    const y = mul(x, x);
    sum(add(y, y)).backward();
    expect(values(x.grad)).toEqual([12]);
  });

  it('a second backward through a released graph fails unless retainGraph', () => {
    const x = f64([1, 2]);
    const y = sum(exp(x));
    y.backward();
    expect(() => y.backward()).toThrow(/freed by an earlier backward pass.*retainGraph: true/);
    const z = sum(exp(x));
    x.grad = null;
    z.backward(undefined, { retainGraph: true });
    z.backward();
    expect(values(x.grad)).toEqual(values(mul(exp(x.detach()), 2)));
  });

  it('noGrad records nothing, enableGrad records inside it', () => {
    const x = f64([1]);
    const y = noGrad(() => mul(x, 2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      const z = enableGrad(() => mul(x, 2));
      expect(z.gradFn?.name).toBe('mul');
    });
    expect(isGradEnabled()).toBe(true);
  });

  it('detach cuts the graph; requiresGrad_ makes a leaf; only leaves may change the flag', () => {
    const x = f64([2]);
    const y = mul(x, x);
    const d = y.detach();
    expect(d.requiresGrad).toBe(false);
    expect(sum(mul(d, x)).requiresGrad).toBe(true);
    expect(() => y.requiresGrad_(false)).toThrow(/only a leaf's flag can be changed/);
    const leaf = f64([1], false).requiresGrad_();
    sum(mul(leaf, 5)).backward();
    expect(values(leaf.grad)).toEqual([5]);
    expect(() => tensor([1], { dtype: 'int32' }).requiresGrad_()).toThrow(/only float tensors/);
  });

  it('every op records through record, reshape included', () => {
    const x = f64([1, 2, 3, 4]);
    const r = x.reshape(2, 2);
    expect(r.gradFn?.name).toBe('reshape');
    expect(r.data).toBe(x.data);
    sum(mul(r.view(4), f64([1, 2, 3, 4], false))).backward();
    expect(values(x.grad)).toEqual([1, 2, 3, 4]);
  });

  it('grad() returns gradients of any tensor without touching .grad, with gradOutputs and allowUnused', () => {
    const x = f64([1, 2]);
    const h = mul(x, 3);
    const unused = f64([7]);
    const y = mul(h, h);
    const [gh, gx, gu] = grad(y, [h, x, unused], { gradOutputs: f64([1, 10], false), allowUnused: true, retainGraph: true });
    expect(values(gh)).toEqual([6, 120]);
    expect(values(gx)).toEqual([18, 360]);
    expect(gu).toBeNull();
    expect(x.grad).toBeNull();
    expect(() => grad(sum(y), [unused])).toThrow(/do not depend on it.*allowUnused/);
    expect(() => grad(y, [f64([1], false)])).toThrow(/every input must require grad/);
    expect(() => grad(y, [x])).toThrow(/grad can be implicitly created only for one-element outputs/);
  });

  it('createGraph: the gradient is itself differentiable (d²/dx² of x³ is 6x)', () => {
    const x = f64([2]);
    const y = mul(mul(x, x), x);
    const [g] = grad(y, [x], { createGraph: true });
    expect(values(g)).toEqual([12]);
    const [g2] = grad(g, [x]);
    expect(values(g2)).toEqual([12]);
    // relu's second derivative is 0, its first is the mask
    const z = f64([-1, 2]);
    const [gz] = grad(sum(mul(relu(z), z)), [z], { createGraph: true });
    expect(values(gz)).toEqual([0, 4]);
    const [gz2] = grad(sum(gz), [z]);
    expect(values(gz2)).toEqual([0, 2]);
  });

  it('backward(createGraph) leaves graph-carrying .grad; backward(inputs) fills only those', () => {
    const x = f64([3]);
    const w = f64([2]);
    backward(sum(mul(mul(x, x), w)), undefined, { createGraph: true });
    expect(x.grad?.requiresGrad).toBe(true);
    const [gg] = grad(x.grad as Tensor, [x]);
    expect(values(gg)).toEqual([4]);
    x.grad = null;
    w.grad = null;
    sum(mul(x, w)).backward(undefined, { inputs: [w] });
    expect(values(w.grad)).toEqual([3]);
    expect(x.grad).toBeNull();
  });

  it('an operation without a differentiable backward fails clearly when differentiated twice', () => {
    const x = f64([0.5, 1.5]);
    // gaussianNllLoss has a first-order backward only
    return import('../../src/functional/gaussianNllLoss.js').then(({ gaussianNllLoss }) => {
      const [g] = grad(gaussianNllLoss(x, f64([0, 1], false), f64([1, 1], false)), [x], { createGraph: true });
      expect(() => grad(sum(g), [x])).toThrow(/the gradient of 'gaussianNllLoss' is not differentiable/);
    });
  });
});
