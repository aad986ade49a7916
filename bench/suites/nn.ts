/**
 * Suite `nn`: the general stack (src/nn, src/tensor, the WebAssembly GEMM and convolution kernels)
 * against PyTorch, same run, interleaved, 1 and 2 threads:
 *   (a) float32 GEMM 1024×1024×1024 in GFLOP/s, with NumPy/OpenBLAS, and the machine's FMA peak
 *       (bench/peers/peak_flops.c: the speed-up column against it is the fraction of peak);
 *   (b) one epoch of the MLP 784-256-256-10 on Fashion-MNIST, batch 256, SGD lr 0.1;
 *   (c) one epoch of LeNet-5 on Fashion-MNIST, batch 64, SGD lr 0.05 momentum 0.9;
 *   (d) DomainBed's MNIST_CNN forward + cross-entropy + backward on a batch of 64 (2 × 28 × 28).
 * Shared inputs: the initial weights are drawn here (PyTorch's default initialisation, seeded) and
 * written as safetensors for the peer; the epoch's row order is the training suite's mulberry32
 * permutation; pixels / 255 as float32. Each losslab contender is what a user writes: a module's
 * forward, `crossEntropy`, `backward()`, `optimizer.step()`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crossEntropy } from '../../src/functional/crossEntropy.js';
import { setKernelBackend, type KernelBackend } from '../../src/kernels/backend.js';
import { WasmHeap, wasmHeap } from '../../src/kernels/wasm/heap.js';
import { makeWasmBackend } from '../../src/kernels/backend.js';
import { compileWasmKernels, wasmKernelsVariant } from '../../src/kernels/wasm/module.js';
import { toFloat32, type Dataset } from '../../src/data/dataset.js';
import { noGrad } from '../../src/autograd/gradMode.js';
import { Sequential } from '../../src/nn/containers.js';
import { Flatten, ReLU } from '../../src/nn/layers/activation.js';
import { Conv2d } from '../../src/nn/layers/conv.js';
import { Linear } from '../../src/nn/layers/linear.js';
import { GroupNorm } from '../../src/nn/layers/normalization.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../../src/nn/layers/pooling.js';
import { Module, type StateDict } from '../../src/nn/module.js';
import { saveSafetensors } from '../../src/nn/safetensors.js';
import { SGD } from '../../src/optim/sgd.js';
import { loadFashionMnist } from '../../src/node/fashionMnistCache.js';
import { startParallelKernels, type ParallelKernels } from '../../src/node/parallel.js';
import { abs, argmax, flatten, relu, sum } from '../../src/tensor/ops/index.js';
import { RandomState } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { pythonPeer } from '../peerProcess.js';
import type { BenchCase, BenchSuite, CheckValues, Contender, OpenContender, Skipped, SuiteOptions } from '../suite.js';
import { sharedPerms } from './training.js';

const N = 1024;
const SEED = 20261204;
/** Untimed calls of the MNIST_CNN step before its check, on both sides (bench/peers/nn.py WARMUP). */
const MNIST_CNN_WARMUP = 4;

function mlp(): Sequential {
  const g = new RandomState(SEED);
  return new Sequential(
    new Linear(784, 256, { generator: g }),
    new ReLU(),
    new Linear(256, 256, { generator: g }),
    new ReLU(),
    new Linear(256, 10, { generator: g }),
  );
}

function lenet(): Sequential {
  const g = new RandomState(SEED + 1);
  return new Sequential(
    new Conv2d(1, 6, 5, { padding: 2, generator: g }),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(6, 16, 5, { generator: g }),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(400, 120, { generator: g }),
    new ReLU(),
    new Linear(120, 84, { generator: g }),
    new ReLU(),
    new Linear(84, 10, { generator: g }),
  );
}

/** DomainBed's MNIST_CNN (domainbed/networks.py) with a Linear(128, 10) classifier. */
class MnistCnn extends Module {
  conv1: Conv2d;
  conv2: Conv2d;
  conv3: Conv2d;
  conv4: Conv2d;
  bn0 = new GroupNorm(8, 64);
  bn1 = new GroupNorm(8, 128);
  bn2 = new GroupNorm(8, 128);
  bn3 = new GroupNorm(8, 128);
  avgpool = new AdaptiveAvgPool2d([1, 1]);
  fc: Linear;

  constructor(channels: number) {
    super();
    const g = new RandomState(SEED + 2);
    this.conv1 = new Conv2d(channels, 64, 3, { padding: 1, generator: g });
    this.conv2 = new Conv2d(64, 128, 3, { stride: 2, padding: 1, generator: g });
    this.conv3 = new Conv2d(128, 128, 3, { padding: 1, generator: g });
    this.conv4 = new Conv2d(128, 128, 3, { padding: 1, generator: g });
    this.fc = new Linear(128, 10, { generator: g });
  }

  override forward(x: Tensor): Tensor {
    let h = this.bn0.forward(relu(this.conv1.forward(x)));
    h = this.bn1.forward(relu(this.conv2.forward(h)));
    h = this.bn2.forward(relu(this.conv3.forward(h)));
    h = this.bn3.forward(relu(this.conv4.forward(h)));
    return this.fc.forward(flatten(this.avgpool.forward(h), 1));
  }
}

/** A frozen copy of a state dict (each rep starts from the same weights). */
function snapshot(m: Module): StateDict {
  return Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, t.clone()]));
}

function uniforms(n: number, seed: number): Float32Array {
  const rng = new RandomState(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform(-1, 1);
  return out;
}

interface Shared {
  dir: string;
  dataDir: string;
}

function writeShared(options: SuiteOptions): Shared {
  const dir = path.join(options.root, 'dist', 'bench', 'nn');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'gemm-a.f32'), new Uint8Array(uniforms(N * N, 1).buffer));
  writeFileSync(path.join(dir, 'gemm-b.f32'), new Uint8Array(uniforms(N * N, 2).buffer));
  writeFileSync(path.join(dir, 'mlp.safetensors'), saveSafetensors(mlp().stateDict()));
  writeFileSync(path.join(dir, 'lenet.safetensors'), saveSafetensors(lenet().stateDict()));
  writeFileSync(path.join(dir, 'mnist_cnn.safetensors'), saveSafetensors(new MnistCnn(2).stateDict()));
  writeFileSync(path.join(dir, 'mnist_cnn-x.f32'), new Uint8Array(Float32Array.from(uniforms(64 * 2 * 784, 3), (v) => (v + 1) / 2).buffer));
  writeFileSync(path.join(dir, 'mnist_cnn-y.i32'), new Uint8Array(Int32Array.from({ length: 64 }, (_, i) => (i * 7) % 10).buffer));
  const { info, train } = loadFashionMnist();
  writeFileSync(path.join(dir, 'perm.u32'), new Uint8Array(sharedPerms(train.n, 1).buffer));
  return { dir, dataDir: info.dir };
}

type Threads = 1 | 2 | 'simd';

/** Selects the kernels of a contender: 1 thread (default build), 2 threads, or the plain-SIMD build. */
function kernels(threads: Threads): { backend: KernelBackend | null; pool: ParallelKernels | null; heap: WasmHeap | null } {
  if (threads === 2) {
    const pool = startParallelKernels();
    return { backend: pool?.backend ?? null, pool, heap: wasmHeap() };
  }
  if (threads === 'simd') {
    const k = compileWasmKernels('simd');
    const heap = k ? new WasmHeap(k) : null;
    return { backend: heap ? makeWasmBackend(heap, 'wasm-simd') : null, pool: null, heap };
  }
  return { backend: setKernelBackend('wasm'), pool: null, heap: wasmHeap() };
}

function ours(
  id: string,
  label: string,
  threads: Threads,
  open: (shared: Shared, backend: KernelBackend, heap: WasmHeap) => Promise<OpenContender>,
  shared: Shared,
): Contender {
  return {
    id,
    label,
    side: 'ours',
    threads: threads === 2 ? 2 : 1,
    async open(): Promise<OpenContender | Skipped> {
      const k = kernels(threads);
      if (!k.backend || !k.heap)
        return { skip: threads === 'simd' ? 'the plain SIMD build does not load here' : 'the WebAssembly kernels cannot load in this Node' };
      setKernelBackend(k.backend);
      const inner = await open(shared, k.backend, k.heap);
      return {
        check: inner.check,
        async time(reps) {
          setKernelBackend(k.backend as KernelBackend);
          return inner.time(reps);
        },
        async close() {
          await inner.close();
          setKernelBackend('auto');
          await k.pool?.close();
        },
      };
    },
  };
}

function timeReps(reps: number, run: () => Record<string, number>): { timesMs: number[]; metrics: Record<string, number> } {
  const timesMs: number[] = [];
  let metrics: Record<string, number> = {};
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    metrics = run();
    timesMs.push(performance.now() - t0);
  }
  return { timesMs, metrics };
}

async function openGemm(shared: Shared, backend: KernelBackend, heap: WasmHeap): Promise<OpenContender> {
  // operands in the WebAssembly memory, as a model's activations would be (no copies)
  const A = heap.float32(heap.alloc(N * N * 4), N * N);
  const B = heap.float32(heap.alloc(N * N * 4), N * N);
  const C = heap.float32(heap.alloc(N * N * 4), N * N);
  A.set(uniforms(N * N, 1));
  B.set(uniforms(N * N, 2));
  const shape = { batch: 1, m: N, n: N, k: N, transA: false, transB: false, strideA: 0, strideB: 0, accumulate: false };
  const checksum = (): number => {
    let s = 0;
    for (let i = 0; i < N; i += 97) for (let j = 0; j < N; j += 89) s += C[i * N + j];
    return s;
  };
  backend.gemm(shape, A, B, C);
  void shared;
  return {
    check: { checksum: checksum() },
    async time(reps) {
      const block = timeReps(reps, () => {
        const t0 = performance.now();
        backend.gemm(shape, A, B, C);
        return { gflops: (2 * N ** 3) / ((performance.now() - t0) / 1e3) / 1e9 };
      });
      return block;
    },
    async close() {
      for (const a of [A, B, C]) heap.release(a.byteOffset);
    },
  };
}

/** One epoch of SGD over the shared order; returns the check values. */
function epoch(
  model: Module,
  train: Dataset,
  test: Dataset,
  perm: Uint32Array,
  batch: number,
  lr: number,
  momentum: number,
  shape: readonly number[],
): CheckValues {
  const opt = new SGD(model.parameters(), { lr, momentum });
  const d = train.features;
  const x = train.x as Float32Array;
  let total = 0;
  model.train();
  for (let i = 0; i < train.n; i += batch) {
    const m = Math.min(batch, train.n - i);
    const xb = new Float32Array(m * d);
    const yb = new Int32Array(m);
    for (let r = 0; r < m; r++) {
      const row = perm[i + r];
      xb.set(x.subarray(row * d, (row + 1) * d), r * d);
      yb[r] = train.y[row];
    }
    const loss = crossEntropy(model.forward(new Tensor(xb, [m, ...shape])), new Tensor(yb, [m]));
    opt.zeroGrad();
    loss.backward();
    opt.step();
    total += loss.item() * m;
  }
  const correct = noGrad(() => {
    let c = 0;
    const tx = test.x as Float32Array;
    for (let i = 0; i < test.n; i += 1000) {
      const m = Math.min(1000, test.n - i);
      const pred = argmax(model.forward(new Tensor(tx.subarray(i * d, (i + m) * d), [m, ...shape])), 1).data;
      for (let r = 0; r < m; r++) if (pred[r] === test.y[i + r]) c++;
    }
    return c;
  });
  return { epoch_mean_batch_loss: total / train.n, test_acc: correct / test.n };
}

function openEpoch(make: () => Module, batch: number, lr: number, momentum: number, shape: readonly number[]) {
  return async (): Promise<OpenContender> => {
    const fm = loadFashionMnist();
    const train = toFloat32(fm.train);
    const test = toFloat32(fm.test);
    const perm = sharedPerms(train.n, 1);
    const model = make();
    const initial = snapshot(model);
    const run = (): CheckValues => {
      model.loadStateDict(initial);
      return epoch(model, train, test, perm, batch, lr, momentum, shape);
    };
    return {
      check: run(),
      async time(reps) {
        return timeReps(reps, run);
      },
      async close() {},
    };
  };
}

async function openMnistCnn(): Promise<OpenContender> {
  const model = new MnistCnn(2);
  const x = new Tensor(
    Float32Array.from(uniforms(64 * 2 * 784, 3), (v) => (v + 1) / 2),
    [64, 2, 28, 28],
  );
  const y = new Tensor(
    Int32Array.from({ length: 64 }, (_, i) => (i * 7) % 10),
    [64],
  );
  const run = (): CheckValues => {
    model.zeroGrad();
    const loss = crossEntropy(model.forward(x), y);
    loss.backward();
    const g2 = model.conv2.weight.grad as Tensor;
    const gfc = model.fc.weight.grad as Tensor;
    return { loss: loss.item(), grad_conv2: sum(g2).item(), grad_fc: sum(abs(gfc)).item() };
  };
  // as many warm-up calls as the peer (bench/peers/nn.py WARMUP): the first calls fault in fresh pages
  for (let i = 0; i < MNIST_CNN_WARMUP; i++) run();
  return {
    check: run(),
    async time(reps) {
      return timeReps(reps, run);
    },
    async close() {},
  };
}

export const suite: BenchSuite = {
  id: 'nn',
  title: 'Neural networks: GEMM, MLP and LeNet-5 epochs on Fashion-MNIST, DomainBed MNIST_CNN (general stack vs PyTorch, shared weights and batch order)',
  async cases(options) {
    const shared = writeShared(options);
    // torch.mm and nn.Linear run in OpenBLAS here, whose pool follows OPENBLAS_NUM_THREADS only
    // (the peer protocol pins it to 1 for every peer): give PyTorch's N threads to its products too
    const torch = (threads: number, id = `torch-t${threads}`, label = `PyTorch ${threads} thread${threads > 1 ? 's' : ''}`): Contender =>
      pythonPeer({ id, label, threads, script: 'bench/peers/nn.py', args: ['--threads', String(threads)], env: { OPENBLAS_NUM_THREADS: String(threads) } });
    const params = { dir: shared.dir, dataDir: shared.dataDir };
    wasmHeap(); // load the kernels now, so the labels can name the build
    const variant = wasmKernelsVariant ?? 'unavailable';
    // The epoch's mean loss is checked against PyTorch's: float32 rounding (summation order in the
    // products and convolutions) grows over the steps, more with momentum — LeNet-5's 938 momentum
    // steps put losslab's own 1- and 2-thread runs 3e-3 apart, so its check allows 1e-2; the test
    // accuracy (±0.01) is the check that training did the same thing.
    const epochCase = (
      id: string,
      title: string,
      make: () => Module,
      batch: number,
      lr: number,
      momentum: number,
      shape: readonly number[],
      lossRtol: number,
    ): BenchCase => ({
      id,
      title,
      params: { ...params, batch, lr, momentum },
      contenders: [
        ours(
          `losslab-1t`,
          `losslab nn modules + optim.SGD, WebAssembly kernels (${variant}), 1 thread`,
          1,
          openEpoch(make, batch, lr, momentum, shape),
          shared,
        ),
        ours(`losslab-2t`, 'losslab nn modules + optim.SGD, WebAssembly kernels on 2 threads', 2, openEpoch(make, batch, lr, momentum, shape), shared),
        torch(1),
        torch(2),
      ],
      referenceId: 'torch-t1',
      tolerances: { epoch_mean_batch_loss: { rtol: lossRtol }, test_acc: { atol: 0.01 } },
      repsPerBlock: 1,
      rounds: options.quick ? 1 : 3,
    });
    return [
      {
        id: 'gemm-1024',
        title: 'float32 GEMM 1024×1024×1024 (metric: GFLOP/s)',
        params: { ...params, n: N },
        contenders: [
          ours('losslab-1t', `losslab WebAssembly GEMM (${variant}), 1 thread`, 1, openGemm, shared),
          ours('losslab-2t', `losslab WebAssembly GEMM (${variant}), 2 threads`, 2, openGemm, shared),
          ours('losslab-simd', 'losslab WebAssembly GEMM (plain SIMD, no FMA), 1 thread', 'simd', openGemm, shared),
          torch(1, 'torch-t1', 'PyTorch torch.mm, 1 thread'),
          torch(2, 'torch-t2', 'PyTorch torch.mm, 2 threads'),
          pythonPeer({
            id: 'numpy',
            label: 'NumPy np.dot (OpenBLAS, 1 thread)',
            threads: 1,
            script: 'bench/peers/nn.py',
            args: ['--threads', '1', '--impl', 'numpy'],
          }),
          pythonPeer({
            id: 'peak-t1',
            label: 'machine peak: 256-bit FMA in registers, 1 thread',
            threads: 1,
            script: 'bench/peers/peak_flops.py',
            args: ['--threads', '1'],
          }),
          pythonPeer({
            id: 'peak-t2',
            label: 'machine peak: 256-bit FMA in registers, 2 threads',
            threads: 2,
            script: 'bench/peers/peak_flops.py',
            args: ['--threads', '2'],
          }),
        ],
        referenceId: 'torch-t1',
        tolerances: { checksum: { rtol: 1e-3 } },
      },
      epochCase('mlp-epoch', 'MLP 784-256-256-10, one epoch of Fashion-MNIST, batch 256, SGD lr 0.1', mlp, 256, 0.1, 0, [784], 2e-3),
      epochCase('lenet-epoch', 'LeNet-5, one epoch of Fashion-MNIST, batch 64, SGD lr 0.05 momentum 0.9', lenet, 64, 0.05, 0.9, [1, 28, 28], 1e-2),
      {
        id: 'mnist-cnn',
        title: "DomainBed's MNIST_CNN forward + backward, batch 64 × 2 × 28 × 28",
        params: { ...params, channels: 2 },
        contenders: [
          ours('losslab-1t', `losslab nn modules, WebAssembly kernels (${variant}), 1 thread`, 1, openMnistCnn, shared),
          ours('losslab-2t', 'losslab nn modules, WebAssembly kernels on 2 threads', 2, openMnistCnn, shared),
          torch(1),
          torch(2),
        ],
        referenceId: 'torch-t1',
        tolerances: { loss: { rtol: 1e-4 }, grad_conv2: { rtol: 1e-2, atol: 1e-4 }, grad_fc: { rtol: 1e-3 } },
        // the median of 3 calls per round: single calls catch the occasional page-fault burst
        repsPerBlock: 3,
        rounds: options.quick ? 2 : 5,
      },
    ];
  },
};
