/**
 * Suite `adapt`: the IRM paper's Colored Fashion-MNIST protocol (`reproduce_paper_results.sh`
 * hyperparameters; full-batch Adam, 501 steps for IRM and ERM, 101 for the grayscale model) in losslab
 * (`runIrmColored`: the DomainTrainer with the IRM algorithm on nn modules) and in
 * PyTorch (`bench/peers/irm_colored.py`: autograd with the double backward of the IRM penalty), on the
 * same data (written by `writeDomainFiles` to dist/bench/adapt/colored/) and the same initial weights
 * (losslab's Xavier-uniform draw, passed to the peer as a file). One timed run = the training loop;
 * building the data and the final evaluation are not timed. Checked: the initial mean training loss;
 * reported: train and test accuracy of the timed runs (they differ from PyTorch's only by float32
 * rounding in the order of operations, which the IRM penalty's 91,257× weight amplifies).
 *
 * The DANN epoch on rotated Fashion-MNIST (`bench/peers/dann_rotated.py`): source 0° labelled, target
 * 45° unlabelled, one pass over the source in 64-row batches (each with 64 target rows), Ganin's
 * gradient reversal and λ schedule, one Adam (lr 1e-3, betas (0.5, 0.9)); DomainBed's MNIST CNN
 * featurizer (the `mlp` featurizer with --quick). losslab runs the `DANN` algorithm (adversary
 * `reversal`) on the nn modules; both sides read the same rows in the same order (order_source.i32 /
 * order_target.i32) from the same initial weights (losslab's draw, passed as a file).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DomainAlgorithm } from '../../src/adapt/algorithm.js';
import { createAlgorithm, type DANN } from '../../src/adapt/algorithms/index.js';
import { resolveHparams } from '../../src/adapt/hparams.js';
import { IRM_PAPER_HPARAMS, type IrmProtocolMethod, irmColoredInit, runIrmColored } from '../../src/adapt/irmProtocol.js';
import { linearClassifier, mnistCnn } from '../../src/adapt/networks.js';
import { domainInputs } from '../../src/adapt/trainer.js';
import { noGrad } from '../../src/autograd/gradMode.js';
import type { DomainDataset } from '../../src/data/domainDataset.js';
import { domainRows } from '../../src/data/domainDataset.js';
import { crossEntropy } from '../../src/functional/crossEntropy.js';
import { type KernelBackend, kernelBackend, setKernelBackend, wasmBackend } from '../../src/kernels/backend.js';
import { Sequential } from '../../src/nn/containers.js';
import { manualSeed } from '../../src/nn/generator.js';
import { Flatten, ReLU } from '../../src/nn/layers/activation.js';
import { Linear } from '../../src/nn/layers/linear.js';
import { loadDomainBenchmark } from '../../src/node/domainData.js';
import { writeDomainFiles } from '../../src/node/domainFiles.js';
import { RandomState } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { pythonPeer } from '../peerProcess.js';
import { sharedPool } from '../pool.js';
import type { BenchCase, BenchSuite, Contender, OpenContender, Skipped } from '../suite.js';

/** The kernels of a losslab contender: 1 thread, or the shared 2-thread pool (main + one worker); null where they cannot load. */
function backendFor(threads: 1 | 2): KernelBackend | null {
  if (threads === 2) return sharedPool()?.backend ?? null;
  return wasmBackend();
}

/** Runs `fn` on `backend`, then restores the previous backend. */
function onBackend<T>(backend: KernelBackend, fn: () => T): T {
  const previous = kernelBackend();
  setKernelBackend(backend);
  try {
    return fn();
  } finally {
    setKernelBackend(previous);
  }
}

function ours(data: DomainDataset, method: IrmProtocolMethod, init: Float32Array, threads: 1 | 2, steps: number | undefined): Contender {
  return {
    id: `losslab-t${threads}`,
    label: `losslab runIrmColored (full-batch step on the WebAssembly GEMM, activations in wasm memory), ${threads === 2 ? '2 threads' : '1 thread'}`,
    side: 'ours',
    threads,
    async open(): Promise<OpenContender | Skipped> {
      const backend = backendFor(threads);
      if (!backend) return { skip: 'the WebAssembly kernels cannot load in this Node' };
      let nll0 = Number.NaN;
      // the check step also compiles the kernels to their optimised tier before any timed run
      onBackend(backend, () =>
        runIrmColored(data, method, {
          init,
          steps: 1,
          onStep: (m) => {
            nll0 = m.terms.nll;
            return undefined;
          },
        }),
      );
      return {
        check: { nll0 },
        async time(reps: number) {
          const timesMs: number[] = [];
          let metrics: Record<string, number> = {};
          for (let r = 0; r < reps; r++) {
            const c0 = process.cpuUsage();
            const res = onBackend(backend, () => runIrmColored(data, method, { init, steps }));
            const cpu = process.cpuUsage(c0);
            timesMs.push(res.seconds * 1000);
            metrics = { train_acc: res.trainAccuracy, test_acc: res.testAccuracy, loss: res.finalLoss, cpu_s: (cpu.user + cpu.system) / 1e6 };
          }
          return { timesMs, metrics };
        },
        async close() {},
      };
    },
  };
}

/**
 * `LOSSLAB_BENCH_ADAPT=irm,erm,gray,dann` picks the suite's cases (default: all; with --quick gray and
 * dann); `LOSSLAB_BENCH_ADAPT_STEPS=N` runs N steps of each Colored case on both sides instead of the
 * protocol's (per-step time ratios on short runs; accuracies then mean nothing).
 */
function adaptSelection(): string[] | null {
  const v = process.env.LOSSLAB_BENCH_ADAPT;
  if (v === undefined || v === '') return null;
  const names = v.split(',');
  for (const n of names)
    if (!['irm', 'erm', 'gray', 'dann'].includes(n))
      throw new Error(`bench adapt: LOSSLAB_BENCH_ADAPT is '${v}', but its names must be irm, erm, gray or dann`);
  return names;
}

function adaptCases(quick: boolean): IrmProtocolMethod[] {
  const chosen = adaptSelection();
  if (chosen) return (['gray', 'erm', 'irm'] as const).filter((m) => chosen.includes(m));
  return quick ? ['gray'] : ['gray', 'erm', 'irm'];
}

function wantDann(_quick: boolean): boolean {
  return adaptSelection()?.includes('dann') ?? true;
}

function adaptSteps(): number | undefined {
  const v = process.env.LOSSLAB_BENCH_ADAPT_STEPS;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`bench adapt: LOSSLAB_BENCH_ADAPT_STEPS is '${v}', but it must be a whole number ≥ 1`);
  return n;
}

/**
 * A PyTorch peer on `threads` threads. Debian's torch 1.13 multiplies (`mm`, `nn.Linear`) in OpenBLAS,
 * whose pool follows OPENBLAS_NUM_THREADS only, which the peer protocol sets to 1 (../shared/peers:
 * OpenMP and OpenBLAS threads together oversubscribe 2 cores); with 2 threads the suite also runs
 * PyTorch with OpenBLAS on 2 (`torch-t2-blas2`), so that "PyTorch's best time on 2 threads" is the
 * better of the two.
 */
function torchPeer(label: string, script: string, threads: number, blas: number): Contender {
  return pythonPeer({
    id: blas === 1 ? `torch-t${threads}` : `torch-t${threads}-blas${blas}`,
    label: blas === 1 ? label : `${label}, OpenBLAS on ${blas} threads`,
    threads,
    script,
    args: ['--threads', String(threads)],
    env: { OPENBLAS_NUM_THREADS: String(blas) },
  });
}

const BATCH = 64;

/** DANN with Ganin's reversal from one source to one target (DomainBed's DANN hparams, one Adam over all parts). */
function dannAlgorithm(model: 'cnn' | 'mlp', totalSteps: number): DANN {
  manualSeed(0);
  const inputShape = [1, 28, 28];
  // the peer's MLP featurizer ends with a ReLU (DomainBed's MLP does not)
  const featurizer = model === 'cnn' ? mnistCnn(inputShape) : new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 256), new ReLU());
  const features = model === 'cnn' ? 128 : 256;
  return createAlgorithm('dann', {
    inputShape,
    numClasses: 10,
    numDomains: 1,
    numUnlabeled: 1,
    featurizer,
    classifier: linearClassifier(features, 10),
    features,
    hparams: resolveHparams('dann', { adversary: 'reversal', mlpDepth: 3 }),
    totalSteps,
  }) as DANN;
}

function allParameters(a: DANN): Tensor[] {
  return [...a.featurizer.parameters(), ...a.classifier.parameters(), ...a.discriminator.parameters()];
}

function loadFlat(a: DANN, flat: Float32Array): void {
  let k = 0;
  for (const p of allParameters(a)) {
    p.data.set(flat.subarray(k, k + p.size));
    k += p.size;
  }
}

function dannOurs(
  data: DomainDataset,
  model: 'cnn' | 'mlp',
  src: Int32Array,
  tgt: Int32Array,
  targetRows: Int32Array,
  init: Float32Array,
  threads: 1 | 2,
): Contender {
  const steps = Math.ceil(src.length / BATCH);
  const batch = (rows: Int32Array, labels: boolean) => {
    const x = new Tensor<'float32'>(domainInputs(data, rows), [rows.length, 1, 28, 28]);
    return labels
      ? {
          x,
          y: new Tensor<'int32'>(
            Int32Array.from(rows, (r) => data.y[r]),
            [rows.length],
          ),
        }
      : { x, y: null };
  };
  const epoch = (): { algorithm: DomainAlgorithm; last: { cls_loss: number; disc_loss: number } } => {
    const algorithm = dannAlgorithm(model, steps);
    loadFlat(algorithm, init);
    algorithm.train();
    let last = { cls_loss: Number.NaN, disc_loss: Number.NaN };
    for (let step = 0; step < steps; step++) {
      const s = src.subarray(step * BATCH, Math.min(src.length, (step + 1) * BATCH));
      const t = Int32Array.from(s, (_, i) => tgt[(step * BATCH + i) % tgt.length]);
      const sb = batch(s, true);
      const r = algorithm.update([{ x: sb.x, y: sb.y as Tensor<'int32'> }], [batch(t, false).x]);
      last = { cls_loss: r.terms.classLoss, disc_loss: r.terms.discLoss };
    }
    return { algorithm, last };
  };
  return {
    id: `losslab-t${threads}`,
    label: `losslab DANN algorithm (reversal) on nn modules, ${model === 'cnn' ? "DomainBed's MNIST CNN" : 'MLP'} (WebAssembly GEMM / conv), ${threads === 2 ? '2 threads' : '1 thread'}`,
    side: 'ours',
    threads,
    async open(): Promise<OpenContender | Skipped> {
      const backend = backendFor(threads);
      if (!backend) return { skip: 'the WebAssembly kernels cannot load in this Node' };
      const a = dannAlgorithm(model, steps);
      loadFlat(a, init);
      const s = src.subarray(0, BATCH);
      const cls_loss0 = noGrad(() => crossEntropy(a.predict(batch(s, true).x), batch(s, true).y as Tensor<'int32'>).item());
      return {
        check: { cls_loss0 },
        async time(reps: number) {
          const timesMs: number[] = [];
          let metrics: Record<string, number> = {};
          for (let r = 0; r < reps; r++) {
            const t0 = performance.now();
            const { algorithm, last } = onBackend(backend, epoch);
            timesMs.push(performance.now() - t0);
            algorithm.eval();
            let correct = 0;
            onBackend(backend, () =>
              noGrad(() => {
                for (let i = 0; i < targetRows.length; i += 1000) {
                  const rows = targetRows.subarray(i, i + 1000);
                  const z = algorithm.predict(batch(rows, false).x).data;
                  rows.forEach((row, j) => {
                    let best = 0;
                    for (let c = 1; c < 10; c++) if (z[j * 10 + c] > z[j * 10 + best]) best = c;
                    if (best === data.y[row]) correct++;
                  });
                }
              }),
            );
            metrics = { target_acc: correct / targetRows.length, ...last };
          }
          return { timesMs, metrics };
        },
        async close() {},
      };
    },
  };
}

async function dannCase(root: string, quick: boolean): Promise<BenchCase> {
  const data = loadDomainBenchmark('rotated-fashion-mnist');
  const dir = path.join(root, 'dist', 'bench', 'adapt', 'rotated');
  writeDomainFiles(data, dir);
  const source = 0;
  const target = 3;
  const rng = new RandomState(0);
  const srcAll = domainRows(data, source);
  const src = Int32Array.from(rng.permutation(srcAll.length), (i) => srcAll[i]);
  const tgtAll = domainRows(data, target);
  const tgt = Int32Array.from(rng.permutation(tgtAll.length), (i) => tgtAll[i]);
  writeFileSync(path.join(dir, 'order_source.i32'), new Uint8Array(src.buffer));
  writeFileSync(path.join(dir, 'order_target.i32'), new Uint8Array(tgt.buffer));
  const model = quick ? 'mlp' : 'cnn';
  const a = dannAlgorithm(model, 1);
  const init = Float32Array.from(allParameters(a).flatMap((p) => Array.from(p.data as Float32Array)));
  const initPath = path.join(dir, `init-dann-${model}.f32`);
  writeFileSync(initPath, new Uint8Array(init.buffer));
  const py = (threads: number, blas = 1): Contender =>
    torchPeer('PyTorch DANN (gradient-reversal Function, one Adam), same rows and initial weights', 'bench/peers/dann_rotated.py', threads, blas);
  return {
    id: `rotated-fashion-mnist-dann-${model}`,
    title: `Rotated Fashion-MNIST 0° → 45°, DANN one epoch (${Math.ceil(src.length / BATCH)} steps of 64 + 64 rows, ${model === 'cnn' ? "DomainBed's MNIST CNN" : 'MLP 784-256-256'})`,
    params: { dataDir: dir, source, target, model, init: initPath, epochs: 1 },
    contenders: [dannOurs(data, model, src, tgt, tgtAll, init, 1), dannOurs(data, model, src, tgt, tgtAll, init, 2), py(1), py(2), py(2, 2)],
    referenceId: 'torch-t1',
    tolerances: { cls_loss0: { rtol: 1e-4 } },
    repsPerBlock: 1,
    rounds: quick ? 1 : 2,
  };
}

export const suite: BenchSuite = {
  id: 'adapt',
  title: 'Domain generalisation: the IRM paper’s Colored Fashion-MNIST protocol (full-batch Adam), losslab vs PyTorch',
  async cases(options) {
    const data = loadDomainBenchmark('colored-fashion-mnist');
    const dir = path.join(options.root, 'dist', 'bench', 'adapt');
    const dataDir = path.join(dir, 'colored');
    writeDomainFiles(data, dataDir);
    const methods = adaptCases(options.quick);
    const steps = adaptSteps();
    const irmCases = methods.map((method): BenchCase => {
      const init = irmColoredInit(data, method);
      mkdirSync(dir, { recursive: true });
      const initPath = path.join(dir, `init-${method}.f32`);
      writeFileSync(initPath, new Uint8Array(init.buffer, init.byteOffset, init.byteLength));
      const py = (threads: number, blas = 1): Contender =>
        torchPeer('PyTorch MLP + Adam, IRM penalty by double backward (autograd.grad create_graph)', 'bench/peers/irm_colored.py', threads, blas);
      return {
        id: `colored-fashion-mnist-${method}`,
        title: `Colored Fashion-MNIST, ${method.toUpperCase()} (${steps ?? IRM_PAPER_HPARAMS[method].steps} full-batch steps, 60,000 training images)`,
        params: { dataDir, method, init: initPath, ...(steps === undefined ? {} : { steps }) },
        contenders: [ours(data, method, init, 1, steps), ours(data, method, init, 2, steps), py(1), py(2), py(2, 2)],
        referenceId: 'torch-t1',
        tolerances: { nll0: { rtol: 1e-4 } },
        repsPerBlock: 1,
        rounds: options.quick ? 1 : 2,
      };
    });
    return wantDann(options.quick) ? [...irmCases, await dannCase(options.root, options.quick)] : irmCases;
  },
};
