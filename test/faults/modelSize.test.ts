/**
 * Fault injection: a model larger than the WebAssembly memory (issue #13: `--model mlp --hidden
 * 100000000` ended in a RangeError stack trace). The size is checked before anything is allocated,
 * and the message says what fits.
 */
import { describe, expect, it } from 'vitest';
import { wasmHeap } from '../../src/kernels/wasm/heap.js';
import { checkNetworkFits, modelMemoryBytes, networkMemoryBytes } from '../../src/models/modelSize.js';
import { Network } from '../../src/models/network.js';
import { losslab } from '../cli/harness.js';

describe('a network too large for the WebAssembly memory is refused before allocating', () => {
  it('Network([784, 1e8, 10]) names sizes, the need, the limit and the widest hidden layer that fits', () => {
    expect(() => new Network([784, 1e8, 10])).toThrow(
      /^Network: argument 'sizes' is \[784, 100000000, 10\], but it must fit in the WebAssembly memory where float32 models are trained \(4 GiB at most, [\d.]+ GiB left\), and the network \[784, 100000000, 10\] needs 1\.0 TiB for its weights and gradients\. With 784 inputs and 10 outputs, one hidden layer of at most ([\d,]+) units fits\.$/,
    );
  });

  it('the suggested width fits and one more unit does not', () => {
    let message = '';
    try {
      new Network([784, 1e8, 10]);
    } catch (error) {
      message = (error as Error).message;
    }
    const widest = Number((/at most ([\d,]+) units/.exec(message)?.[1] ?? '').replaceAll(',', ''));
    const left = wasmHeap()?.bytesLeft ?? 0;
    expect(networkMemoryBytes([784, widest, 10], 0)).toBeLessThanOrEqual(left);
    expect(networkMemoryBytes([784, widest + 1, 10], 0)).toBeGreaterThan(left);
  });

  it('losslab train --model mlp --hidden 100000000 exits 2 with one message naming --hidden', async () => {
    const r = await losslab(['train', '--model', 'mlp', '--hidden', '100000000', '--limit', '10']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /\nerror: losslab train: argument '--hidden' is "100000000", but it must fit in the WebAssembly memory .* needs [\d.]+ TiB for its gradients and the operands of its matrix products with 1024-row batches\. With 784 inputs and 10 outputs, one hidden layer of at most [\d,]+ units fits\.\n$/,
    );
    expect(r.stderr).not.toMatch(/RangeError|\n\s+at /);
  });

  it('the nn MLP: the suggested width fits and one more unit does not', () => {
    const [inputs, outputs, batch] = [784, 10, 256];
    const left = wasmHeap()?.bytesLeft ?? 0;
    let widest = 0;
    try {
      checkNetworkFits([inputs, 1e8, outputs], batch, { fn: 'f', argument: 'a' }, 'module');
    } catch (error) {
      widest = Number((/at most ([\d,]+) units/.exec((error as Error).message)?.[1] ?? '').replaceAll(',', ''));
    }
    expect(widest).toBeGreaterThan(1000);
    expect(modelMemoryBytes([inputs, widest, outputs], batch, 'module')).toBeLessThanOrEqual(left);
    expect(modelMemoryBytes([inputs, widest + 1, outputs], batch, 'module')).toBeGreaterThan(left);
    expect(() => checkNetworkFits([inputs, widest, outputs], batch, { fn: 'f', argument: 'a' }, 'module')).not.toThrow();
  });
});
