/**
 * Suite `training`: softmax regression (784 → 10) on Fashion-MNIST, 10 epochs of minibatch SGD —
 * the protocol of ../shared/peers/softmax_regression.*: pixels/255 float32, W₀ ~ N(0, 0.01²) and the
 * per-epoch row orders from the shared mulberry32 streams of ../shared/peers/prepare_data.mjs
 * (regenerated here bit for bit and written to dist/bench/softmax-regression/ for the peers), bias 0,
 * lr 0.1, batch 256 (last batch 96), mean cross-entropy per batch. One timed run = the 10-epoch
 * training loop (batch assembly + forward + backward + update + reading the batch loss); loading,
 * converting the pixels to float32 and laying the rows out for losslab's fused step (reported as
 * `prep_s`, once per data set) and the final evaluation are not timed. Checked against PyTorch (1 thread): last-epoch mean batch loss,
 * full-train-set loss after training, test accuracy.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setKernelBackend, type KernelBackend } from '../../src/kernels/backend.js';
import { startParallelKernels, type ParallelKernels } from '../../src/node/parallel.js';
import { toFloat32, type Dataset } from '../../src/data/dataset.js';
import { datasetLogits } from '../../src/models/inference.js';
import { accuracyOn } from '../../src/models/inference.js';
import { Network } from '../../src/models/network.js';
import { SGD } from '../../src/models/optimizers.js';
import { Trainer } from '../../src/models/trainer.js';
import { softmaxCrossEntropyRows } from '../../src/kernels/softmaxCrossEntropy.js';
import { loadFashionMnist } from '../../src/node/fashionMnistCache.js';
import { nodePeer, pythonPeer } from '../peerProcess.js';
import type { BenchCase, BenchSuite, CheckValues, Contender, OpenContender, Skipped, SuiteOptions } from '../suite.js';

const EPOCHS = 10;
const BATCH = 256;
const LR = 0.1;
const INIT_SEED = 20240601;
const PERM_SEED = 20240602;

/** mulberry32, as ../shared/peers/prepare_data.mjs. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The shared initial weights `[784][10]` (Box–Muller on mulberry32(20240601)), as prepare_data.mjs. */
export function sharedInitW(): Float32Array {
  const rnd = mulberry32(INIT_SEED);
  const W = new Float32Array(784 * 10);
  for (let i = 0; i < W.length; i += 2) {
    const u1 = 1 - rnd();
    const u2 = rnd();
    const rad = Math.sqrt(-2 * Math.log(u1));
    W[i] = 0.01 * rad * Math.cos(2 * Math.PI * u2);
    if (i + 1 < W.length) W[i + 1] = 0.01 * rad * Math.sin(2 * Math.PI * u2);
  }
  return W;
}

/** The shared per-epoch orders (Fisher–Yates on mulberry32(20240602)), as prepare_data.mjs. */
export function sharedPerms(n: number, epochs = EPOCHS): Uint32Array {
  const rnd = mulberry32(PERM_SEED);
  const P = new Uint32Array(epochs * n);
  for (let e = 0; e < epochs; e++) {
    const p = P.subarray(e * n, (e + 1) * n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
  }
  return P;
}

function fullLoss(network: Network, data: Dataset): number {
  const logits = datasetLogits(network, data);
  return softmaxCrossEntropyRows(logits, data.y, data.n, network.numClasses, null, 1) / data.n;
}

/** One 10-epoch run with the shared init and orders; returns the check values. */
function trainOnce(train: Dataset, test: Dataset, W0: Float32Array, perms: Uint32Array): { network: Network; check: CheckValues } {
  const network = new Network([784, 10]);
  network.weight(0).data.set(W0);
  const n = train.n;
  const trainer = new Trainer(network, train, new SGD({ lr: LR }), { epochs: EPOCHS, batchSize: BATCH, order: (e) => perms.subarray(e * n, (e + 1) * n) });
  while (trainer.step());
  const last = trainer.history[EPOCHS - 1];
  return { network, check: { last_epoch_mean_batch_loss: last.trainLoss, train_loss_full: fullLoss(network, train), test_acc: accuracyOn(network, test) } };
}

function ours(id: string, label: string, choice: 'ts' | 'auto' | '2t'): Contender {
  let pool: ParallelKernels | null = null;
  return {
    id,
    label,
    side: 'ours',
    threads: choice === '2t' ? 2 : 1,
    async open(): Promise<OpenContender | Skipped> {
      if (choice === '2t') {
        pool = startParallelKernels();
        if (!pool) return { skip: 'the WebAssembly kernels cannot load in this Node' };
      }
      const backendChoice: 'ts' | 'auto' | KernelBackend = pool ? pool.backend : choice === '2t' ? 'auto' : choice;
      const backend = setKernelBackend(backendChoice);
      const fm = loadFashionMnist();
      const train = toFloat32(fm.train); // pixels / 255 as float32 before timing, as the peers do
      const test = fm.test;
      const W0 = sharedInitW();
      const perms = sharedPerms(train.n);
      // laying the rows out for the fused step (once per data set, cached): reported, not timed, as
      // the peers' conversion to float tensors is not timed either
      const p0 = performance.now();
      const fused = backend.softmaxRegression?.(train, 10) ?? null;
      const prepS = (performance.now() - p0) / 1000;
      const first = trainOnce(train, test, W0, perms);
      return {
        check: first.check,
        async time(reps: number) {
          setKernelBackend(backendChoice);
          const timesMs: number[] = [];
          let metrics: Record<string, number> = {};
          for (let r = 0; r < reps; r++) {
            const network = new Network([784, 10]);
            network.weight(0).data.set(W0);
            const n = train.n;
            const trainer = new Trainer(network, train, new SGD({ lr: LR }), {
              epochs: EPOCHS,
              batchSize: BATCH,
              order: (e) => perms.subarray(e * n, (e + 1) * n),
            });
            const t0 = performance.now();
            while (trainer.step());
            timesMs.push(performance.now() - t0);
            metrics = { test_acc: accuracyOn(network, test), ...(fused ? { prep_s: prepS } : {}) };
          }
          return { timesMs, metrics };
        },
        async close() {
          setKernelBackend('auto');
          await pool?.close();
          pool = null;
        },
      };
    },
  };
}

/** Writes the shared files the Python peer reads (the peers' data/ layout) and returns their folder. */
function writeSharedFiles(options: SuiteOptions): { dataDir: string; srDir: string } {
  const { info, train } = loadFashionMnist();
  const srDir = path.join(options.root, 'dist', 'bench', 'softmax-regression');
  mkdirSync(srDir, { recursive: true });
  const W = sharedInitW();
  writeFileSync(path.join(srDir, 'init-W.f32'), new Uint8Array(W.buffer));
  const P = sharedPerms(train.n);
  writeFileSync(path.join(srDir, 'perms.u32'), new Uint8Array(P.buffer));
  return { dataDir: info.dir, srDir };
}

export const suite: BenchSuite = {
  id: 'training',
  title: 'Softmax regression on Fashion-MNIST, 10 epochs of SGD (d2l defaults, shared init and batch order)',
  async cases(options) {
    const { dataDir, srDir } = writeSharedFiles(options);
    const py = (threads: number): Contender =>
      pythonPeer({
        id: `torch-t${threads}`,
        label: 'PyTorch nn.Linear + F.cross_entropy + optim.SGD (index_select batches)',
        threads,
        script: 'bench/peers/softmax_regression.py',
        args: ['--threads', String(threads)],
      });
    const c: BenchCase = {
      id: 'fashion-mnist-10-epochs',
      title: 'softmax regression 784→10, 10 epochs, batch 256, lr 0.1',
      params: { dataDir, srDir, epochs: EPOCHS, batch: BATCH, lr: LR },
      contenders: [
        ours('losslab-auto', 'losslab Trainer, default kernels (fused WebAssembly SIMD step, 1 thread)', 'auto'),
        ours('losslab-2t', 'losslab Trainer, fused WebAssembly SIMD step on 2 threads (main + 1 worker)', '2t'),
        ours('losslab-ts', 'losslab Trainer, TypeScript reference kernels', 'ts'),
        py(1),
        py(2),
        nodePeer({
          id: 'tfjs-wasm',
          label: 'TensorFlow.js wasm: sgd.minimize(softmaxCrossEntropy)',
          threads: 1,
          script: 'bench/peers/softmax_regression.mjs',
          args: ['--backend', 'wasm'],
        }),
      ],
      // the least any contender must move: read every training input once per epoch, as float32
      // (what the peers hold; losslab's CSR reads 6 bytes per nonzero, 2.9 bytes per input here)
      bytesPerRun: EPOCHS * 60000 * 784 * 4,
      referenceId: 'torch-t1',
      tolerances: { last_epoch_mean_batch_loss: { rtol: 1e-3 }, train_loss_full: { rtol: 1e-3 }, test_acc: { atol: 0.003 } },
      repsPerBlock: 1,
      rounds: options.quick ? 2 : 5,
    };
    return [c];
  },
};
