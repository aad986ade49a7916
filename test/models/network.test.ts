import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gradcheck } from '../../src/tensor/gradcheck.js';
import { linearBackwardInput, linearBackwardParams, linearForward } from '../../src/kernels/linear.js';
import { networkLoss } from '../../src/models/loss.js';
import { Network } from '../../src/models/network.js';
import { RandomState } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { expectClose, golden } from './golden.js';

const shapeOf = (sizes: number[], i: number) => (i % 2 === 0 ? [sizes[i >> 1], sizes[(i >> 1) + 1]] : [sizes[(i >> 1) + 1]]);
const params64 = (sizes: number[], values: number[][]) => values.map((v, i) => new Tensor<'float64'>(Float64Array.from(v), shapeOf(sizes, i), true));
const params32 = (sizes: number[], values: number[][]) => values.map((v, i) => new Tensor<'float32'>(Float32Array.from(v), shapeOf(sizes, i), true));

describe('network loss and gradients match PyTorch F.cross_entropy(model(X), y)', () => {
  for (const c of golden.loss) {
    it(`${c.name} ${JSON.stringify(c.sizes)} in float64 (rtol 1e-12)`, () => {
      const params = params64(c.sizes, c.params);
      const X = new Tensor<'float64'>(Float64Array.from(c.X), [c.y.length, c.sizes[0]]);
      const loss = networkLoss(c.sizes, params, X, Int32Array.from(c.y));
      expect(expectClose([loss.item()], [c.loss], 1e-12, 1e-14)).toBeLessThanOrEqual(1);
      loss.backward();
      params.forEach((p, i) => {
        expect(expectClose(p.grad!.data, c.grads[i], 1e-10, 1e-13)).toBeLessThanOrEqual(1);
      });
    });

    it(`${c.name} in float32 (rtol 1e-5, atol 1e-6)`, () => {
      const params = params32(c.sizes, c.params);
      const X = new Tensor<'float32'>(Float32Array.from(c.X), [c.y.length, c.sizes[0]]);
      const loss = networkLoss(c.sizes, params, X, Int32Array.from(c.y));
      expect(expectClose([loss.item()], [c.loss], 1e-5, 1e-6)).toBeLessThanOrEqual(1);
      loss.backward();
      params.forEach((p, i) => {
        expect(expectClose(p.grad!.data, c.grads[i], 1e-4, 1e-6)).toBeLessThanOrEqual(1);
      });
    });

    it(`${c.name}: gradcheck of the training loss w.r.t. every weight (float64)`, () => {
      const params = params64(c.sizes, c.params);
      const X = new Tensor<'float64'>(Float64Array.from(c.X), [c.y.length, c.sizes[0]]);
      const y = Int32Array.from(c.y);
      const result = gradcheck((...ps) => networkLoss(c.sizes, ps as Tensor<'float64'>[], X, y), params, { atol: 1e-7, rtol: 1e-5 });
      expect(result.ok).toBe(true);
    });
  }

  it('gradcheck catches a wrong gradient (the check can fail)', () => {
    const c = golden.loss[0];
    const params = params64(c.sizes, c.params);
    const X = new Tensor<'float64'>(Float64Array.from(c.X), [c.y.length, c.sizes[0]]);
    const y = Int32Array.from(c.y);
    const wrong = (...ps: Tensor[]) => {
      const out = networkLoss(c.sizes, ps as Tensor<'float64'>[], X, y);
      const fn = out.gradFn!;
      out.gradFn = {
        ...fn,
        backward: (g: Tensor) =>
          fn.backward(g).map((t) =>
            t
              ? new Tensor(
                  t.data.map((v) => v * 1.01),
                  t.shape,
                )
              : t,
          ),
      };
      return out;
    };
    expect(gradcheck(wrong, params, { raiseException: false }).ok).toBe(false);
  });
});

describe('Network', () => {
  it('d2l init draws W ~ N(0, 0.01²) from RandomState in row-major order and zeros b', () => {
    const net = new Network([784, 10]);
    net.initialize(new RandomState(5));
    const rs = new RandomState(5);
    const expected = Float32Array.from({ length: 7840 }, () => 0.01 * rs.standardNormal());
    expect(Array.from(net.weight(0).data)).toEqual(Array.from(expected));
    expect(Array.from(net.bias(0).data)).toEqual(new Array(10).fill(0));
  });

  it('pytorch init draws W and b from U(−1/√in, 1/√in)', () => {
    const net = new Network([16, 5, 3]);
    net.initialize(new RandomState(1), 'pytorch');
    for (const p of net.params) {
      const bound = 1 / Math.sqrt(p.name.endsWith('0') ? 16 : 5);
      for (const v of p.data) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    }
  });

  it('rejects bad sizes with a message naming the argument', () => {
    expect(() => new Network([784])).toThrow(/Network: argument 'sizes'.*at least the input and output sizes/);
    expect(() => new Network([784, 0])).toThrow(/positive integers/);
  });

  it('the bias gradient of softmax regression sums to zero over classes (Σ softmax − onehot = 0)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 9 }), fc.integer({ min: 0, max: 1000 }), (n, c, seed) => {
        const rs = new RandomState(seed);
        const d = 4;
        const X = new Tensor<'float64'>(
          Float64Array.from({ length: n * d }, () => rs.standardNormal()),
          [n, d],
        );
        const W = new Tensor<'float64'>(
          Float64Array.from({ length: d * c }, () => rs.standardNormal()),
          [d, c],
          true,
        );
        const b = new Tensor<'float64'>(
          Float64Array.from({ length: c }, () => rs.standardNormal()),
          [c],
          true,
        );
        const y = Int32Array.from({ length: n }, () => rs.randint(0, c));
        networkLoss([d, c], [W, b], X, y).backward();
        const sum = Array.from(b.grad!.data).reduce((s, v) => s + v, 0);
        expect(Math.abs(sum)).toBeLessThan(1e-12);
      }),
      { numRuns: 50 },
    );
  });
});

describe('linear kernels equal the naive matrix products', () => {
  it('forward, weight/bias gradient and input gradient (float64, random shapes with zeros)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 11 }),
        fc.integer({ min: 0, max: 1e6 }),
        (n, inF, out, seed) => {
          const rs = new RandomState(seed);
          const draw = (len: number) => Float64Array.from({ length: len }, () => (rs.randomSample() < 0.3 ? 0 : rs.standardNormal()));
          const X = draw(n * inF),
            W = draw(inF * out),
            b = draw(out),
            G = draw(n * out);
          const Y = new Float64Array(n * out),
            dW = new Float64Array(inF * out).fill(7),
            db = new Float64Array(out).fill(7),
            dX = new Float64Array(n * inF);
          linearForward(X, W, b, Y, n, inF, out);
          linearBackwardParams(X, G, dW, db, n, inF, out);
          linearBackwardInput(G, W, dX, n, inF, out);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < out; j++) {
              let s = b[j];
              for (let k = 0; k < inF; k++) s += X[i * inF + k] * W[k * out + j];
              expect(Y[i * out + j]).toBeCloseTo(s, 12);
            }
          for (let k = 0; k < inF; k++)
            for (let j = 0; j < out; j++) {
              let s = 0;
              for (let i = 0; i < n; i++) s += X[i * inF + k] * G[i * out + j];
              expect(dW[k * out + j]).toBeCloseTo(s, 12);
            }
          for (let j = 0; j < out; j++) {
            let s = 0;
            for (let i = 0; i < n; i++) s += G[i * out + j];
            expect(db[j]).toBeCloseTo(s, 12);
          }
          for (let i = 0; i < n; i++)
            for (let k = 0; k < inF; k++) {
              let s = 0;
              for (let j = 0; j < out; j++) s += G[i * out + j] * W[k * out + j];
              expect(dX[i * inF + k]).toBeCloseTo(s, 12);
            }
        },
      ),
      { numRuns: 60 },
    );
  });
});
