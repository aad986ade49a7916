/**
 * Suite `softmax-ce`: fused softmax + cross-entropy, forward + backward (gradient w.r.t. the logits),
 * float32 [65536,10], [4096,1000], [256,32000] — the protocol of ../shared/peers/softmax_ce.*:
 * logits[i] = ((h(i) >>> 8) / 2^24)·8 − 4 with h(i) = i·2654435761 mod 2^32, label[n] = (n·7919 + 13) mod K;
 * one run = mean loss + gradient (softmax − onehot)/N. Every contender's loss and two gradient
 * checksums are checked against PyTorch autograd (1 thread). Minimum traffic: 8 bytes per element.
 */
import { softmaxCrossEntropyRows as referenceRows } from '../../src/kernels/softmaxCrossEntropy.js';
import { kernelBackend, setKernelBackend, wasmBackend, type KernelBackend } from '../../src/kernels/backend.js';
import { wasmFloat32Array, wasmInt32Array } from '../../src/kernels/wasm/heap.js';
import { nodePeer, pythonPeer } from '../peerProcess.js';
import { sharedPool } from '../pool.js';
import type { BenchCase, BenchSuite, CheckValues, Contender, OpenContender, Skipped } from '../suite.js';

export const SHAPES: readonly (readonly [number, number])[] = [
  [65536, 10],
  [4096, 1000],
  [256, 32000],
];

/** The shared inputs, bit-identical to bench/peers/softmax_ce.py. */
export function ceInputs(N: number, K: number, x: Float32Array, y: Int32Array): void {
  for (let i = 0; i < N * K; i++) x[i] = (((Math.imul(i, 2654435761) >>> 0) >>> 8) / 16777216) * 8 - 4;
  for (let n = 0; n < N; n++) y[n] = (n * 7919 + 13) % K;
}

/** Loss and the two gradient checksums of ../shared/peers (weights (i mod 7) − 3, and Σ|g|). */
export function ceChecksums(loss: number, g: Float32Array): CheckValues {
  let w = 0;
  let a = 0;
  for (let i = 0; i < g.length; i++) {
    w += g[i] * ((i % 7) - 3);
    a += Math.abs(g[i]);
  }
  return { loss, grad_checksum_w: w, grad_abs_sum: a };
}

type Kernel = KernelBackend['softmaxCrossEntropyRows'];

/** One of our implementations: `kernel` on inputs in the WebAssembly heap (`inHeap`) or in plain arrays. */
function ours(id: string, label: string, threads: number, kernel: () => Kernel | null, inHeap: boolean): Contender {
  return {
    id,
    label,
    side: 'ours',
    threads,
    async open(c: BenchCase): Promise<OpenContender | Skipped> {
      const k = kernel();
      if (!k) return { skip: 'WebAssembly SIMD kernels unavailable here' };
      const [N, K] = c.params.shape as readonly number[];
      const x = inHeap ? wasmFloat32Array(N * K) : new Float32Array(N * K);
      const y = inHeap ? wasmInt32Array(N) : new Int32Array(N);
      // losslab's API writes into a caller-owned gradient; like PyTorch's x.grad it is reused per call
      const g = inHeap ? wasmFloat32Array(N * K) : new Float32Array(N * K);
      ceInputs(N, K, x, y);
      const loss = k(x, y, N, K, g, 1 / N) / N;
      return {
        check: ceChecksums(loss, g),
        async time(reps: number) {
          const timesMs: number[] = [];
          for (let r = 0; r < reps; r++) {
            const t0 = performance.now();
            k(x, y, N, K, g, 1 / N);
            timesMs.push(performance.now() - t0);
          }
          return { timesMs };
        },
        async close() {},
      };
    },
  };
}

function contenders(): Contender[] {
  const wasm1 = (): Kernel | null => wasmBackend()?.softmaxCrossEntropyRows ?? null;
  const wasm2 = (): Kernel | null => sharedPool()?.backend.softmaxCrossEntropyRows ?? null;
  const dispatch = (): Kernel => {
    setKernelBackend('auto');
    return (x, y, n, c, g, s) => kernelBackend().softmaxCrossEntropyRows(x, y, n, c, g, s);
  };
  const py = (impl: string, threads: number, label: string): Contender =>
    pythonPeer({ id: `${impl}-t${threads}`, label, threads, script: 'bench/peers/softmax_ce.py', args: ['--impl', impl, '--threads', String(threads)] });
  const list: Contender[] = [
    ours('losslab-wasm', 'losslab WebAssembly SIMD, arrays in wasm memory', 1, wasm1, true),
    ours('losslab-wasm-2t', 'losslab WebAssembly SIMD, main + 1 worker', 2, wasm2, true),
    ours('losslab-auto', 'losslab default backend, plain Float32Arrays (copied in/out)', 1, dispatch, false),
    ours('losslab-ts', 'losslab TypeScript reference kernel', 1, () => referenceRows, false),
    py('torch-autograd', 1, 'PyTorch F.cross_entropy + backward'),
    py('torch-autograd', 2, 'PyTorch F.cross_entropy + backward'),
    py('torch-manual', 1, 'PyTorch hand-fused (softmax, gather, scatter, no autograd)'),
    py('torch-manual', 2, 'PyTorch hand-fused (softmax, gather, scatter, no autograd)'),
    py('numpy', 1, 'NumPy, stable manual'),
    nodePeer({
      id: 'tfjs-wasm',
      label: 'TensorFlow.js wasm (SIMD): valueAndGrad(softmaxCrossEntropy)',
      threads: 1,
      script: 'bench/peers/softmax_ce.mjs',
      args: ['--backend', 'wasm'],
    }),
  ];
  if (process.env.LOSSLAB_BENCH_SLOW === '1') {
    list.push(nodePeer({ id: 'tfjs-cpu', label: 'TensorFlow.js cpu', threads: 1, script: 'bench/peers/softmax_ce.mjs', args: ['--backend', 'cpu'] }));
  }
  return list;
}

export const suite: BenchSuite = {
  id: 'softmax-ce',
  title: 'Softmax + cross-entropy, forward + backward, float32',
  async cases() {
    const list = contenders();
    return SHAPES.map(
      ([N, K]): BenchCase => ({
        id: `${N}x${K}`,
        title: `softmax+CE fwd+bwd float32 [${N},${K}]`,
        params: { shape: [N, K] },
        bytesPerRun: 8 * N * K,
        contenders: list,
        referenceId: 'torch-autograd-t1',
        tolerances: { grad_checksum_w: { rtol: 1e-4, atol: 1e-8 } },
      }),
    );
  },
};
